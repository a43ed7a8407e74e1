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

        Assert.Contains("The field IncrementalLearnerOptions.NumberOfTreesPerUpdate must be between 0 and 100.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field IncrementalLearnerOptions.LearningRate must be between 0 exclusive and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field IncrementalLearnerOptions.GuardFraction must be between 0 and 0.9.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field IncrementalLearnerOptions.LeafRefitDecay must be between 0 and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field IncrementalLearnerOptions.UpdateBudget must be between 00:00:00.001 and 01:00:00, or Timeout.InfiniteTimeSpan.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field IncrementalLearnerOptions.SnapshotInterval must be between 00:00:01 and 30.00:00:00, or Timeout.InfiniteTimeSpan.", ex.Message, StringComparison.Ordinal);
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

        Assert.Contains("IncrementalLearnerOptions.Trigger.CountThreshold (100) exceeds IncrementalLearnerOptions.Collector.Capacity (50)", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NestedOptionOutOfRange_IsReportedWithItsParent()
    {
        var sut = new IncrementalLearnerOptions { Collector = new FeedbackCollectorOptions { Capacity = 0 } };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains("The field IncrementalLearnerOptions.Collector.Capacity must be between 1 and 10000000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds IncrementalLearnerOptions.Collector.Capacity (0)", ex.Message, StringComparison.Ordinal); // and the rule it breaks, at once
        Assert.Equal(2, ex.Failures.Count());
    }
}
