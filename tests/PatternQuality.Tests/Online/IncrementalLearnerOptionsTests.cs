using Microsoft.Extensions.Options;
using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

public class IncrementalLearnerOptionsTests
{
    [Fact]
    public void Validate_Defaults_Passes()
    {
        var sut = new IncrementalLearnerOptions();

        sut.Validate();

        Assert.Equal(4_000, sut.ReplayWindowSize);
        Assert.Equal(0.3, sut.GuardFraction);
    }

    [Fact]
    public void Validate_SeveralOutOfRange_NamesEachWithItsRange()
    {
        var sut = new IncrementalLearnerOptions
        {
            NumberOfTreesPerUpdate = -1,
            LearningRate = 0,
            GuardFraction = 0.95,
            LeafRefitDecay = 1.5,
            UpdateBudget = TimeSpan.Zero,
            SnapshotInterval = TimeSpan.FromMilliseconds(1),
        };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains(ex.Failures, f => f.StartsWith("NumberOfTreesPerUpdate is -1; allowed: 0 to 100", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("LearningRate is 0", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("GuardFraction is 0.95; allowed: 0 to 0.9", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("LeafRefitDecay is 1.5", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("UpdateBudget", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("SnapshotInterval", StringComparison.Ordinal));
        Assert.Equal(6, ex.Failures.Count());
    }

    [Fact]
    public void Validate_TriggerThresholdAboveCapacity_IsRefused()
    {
        var sut = new IncrementalLearnerOptions
        {
            Collector = new FeedbackCollectorOptions { Capacity = 50 },
            Trigger = new UpdateTriggerOptions { CountThreshold = 100 },
        };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains(ex.Failures, f => f.Contains("Trigger.CountThreshold (100) exceeds Collector.Capacity (50)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NestedOptionOutOfRange_IsReportedWithItsParent()
    {
        var sut = new IncrementalLearnerOptions { Collector = new FeedbackCollectorOptions { Capacity = 0 } };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains(ex.Failures, f => f.StartsWith("Collector:", StringComparison.Ordinal) && f.Contains("Capacity", StringComparison.Ordinal));
    }
}
