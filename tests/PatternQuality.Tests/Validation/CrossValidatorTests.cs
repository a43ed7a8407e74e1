using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Tests.Validation.Fakes;
using PatternQuality.Validation;

namespace PatternQuality.Tests.Validation;

public class CrossValidatorTests
{
    [Fact]
    public void Run_Stratified_ReportsEveryFoldWithMeanAndStd()
    {
        var data = SyntheticData.Create(500, seed: 1);
        var learner = new FunctionLearner(SyntheticData.TrueProbability);
        var reports = new List<CrossValidationProgress>();

        var result = CrossValidator.Run(learner, data, new CrossValidationOptions { Folds = 4, Seed = 2 }, new SyncProgress(reports.Add));

        Assert.Equal(4, result.Folds.Count);
        Assert.Equal(4, reports.Count);
        Assert.Equal(4, reports[^1].CompletedFolds);
        Assert.Equal(500, result.Folds.Sum(f => f.TestCount));
        Assert.InRange(result.Mean["auc"], 0.75, 0.95);
        Assert.True(result.StandardDeviation["auc"] > 0);
        Assert.Equal(result.Folds.Average(f => f.Metrics["brier"]), result.Mean["brier"], 12);
        Assert.Equal(500, result.OutOfFoldProbabilities.Count);
    }

    [Fact]
    public void Run_Grouped_NeverTestsOnATrainingUser()
    {
        var data = SyntheticData.Create(400, seed: 2, withGroups: true);

        var result = CrossValidator.Run(new FunctionLearner(SyntheticData.TrueProbability), data, new CrossValidationOptions { Folds = 5, Grouped = true });

        Assert.Equal(400, result.Folds.Sum(f => f.TestCount));
    }

    [Fact]
    public void Run_GroupedWithoutGroups_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => CrossValidator.Run(
            new FunctionLearner(_ => 0.5f), SyntheticData.Create(50, 1), new CrossValidationOptions { Grouped = true }));
        Assert.Contains("Grouped", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FoldWithOneClass_GivesNaNAucAndAWarningNotAnException()
    {
        // Groups put all positives in one user, so that user's fold has only positives.
        var d = SyntheticData.Create(40, seed: 3);
        var labels = Enumerable.Range(0, 40).Select(i => i < 10 ? 1f : d.Labels.Span[i]).ToArray();
        var groups = Enumerable.Range(0, 40).Select(i => (string?)(i < 10 ? "fan" : $"u{i % 3}")).ToArray();
        var data = new Dataset(d.Schema, d.Features.ToArray(), labels, groups: groups);

        var result = CrossValidator.Run(new FunctionLearner(SyntheticData.TrueProbability), data, new CrossValidationOptions { Folds = 4, Grouped = true });

        Assert.Contains(result.Folds, f => double.IsNaN(f.Metrics["auc"]));
        Assert.NotEmpty(result.Warnings);
        Assert.False(double.IsNaN(result.Mean["auc"]));
    }

    [Fact]
    public void Run_NonBinaryLabel_ThrowsNamingTheRow()
    {
        var d = SyntheticData.Create(20, seed: 3);
        var labels = d.Labels.ToArray();
        labels[7] = 3;
        var data = new Dataset(d.Schema, d.Features.ToArray(), labels);

        var ex = Assert.Throws<ArgumentException>(() => CrossValidator.Run(new FunctionLearner(_ => 0.5f), data));
        Assert.Contains("row 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ZeroFolds_ThrowsNamingTheOptionAndRange()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new CrossValidationOptions { Folds = 0 }.Validate());
        Assert.Contains("Folds must be between 2 and 1000", ex.Message, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(Action<CrossValidationProgress> report) : IProgress<CrossValidationProgress>
    {
        public void Report(CrossValidationProgress value) => report(value);
    }
}
