using PatternQuality.Evaluation;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Evaluation;

public class BinaryEvaluationTests
{
    [Fact]
    public void Compute_GoldenCase_MatchesScikitLearn()
    {
        var c = Cases("binary_metrics.json").First();
        var sut = BinaryEvaluation.Compute(Floats(c.GetProperty("labels")), Floats(c.GetProperty("scores")));

        Near(c.GetProperty("auc").GetDouble(), sut.Auc, 1e-9, "auc");
        Near(c.GetProperty("ece").GetDouble(), sut.Ece, 1e-9, "ece");
        Near(c.GetProperty("f1").GetDouble(), sut.F1, 1e-9, "f1");
        Assert.Empty(sut.Warnings);
    }

    [Fact]
    public void ToDictionary_Always_HasExactlyTheCliKeys()
    {
        var sut = BinaryEvaluation.Compute([0, 1, 1, 0], [0.2f, 0.8f, 0.6f, 0.4f]);

        Assert.Equal(
            ["auc", "pr_auc", "accuracy", "precision", "recall", "f1", "logloss", "brier", "ece"],
            sut.ToDictionary().Keys.ToArray());
        Assert.Equal(1.0, sut.ToDictionary()["auc"]);
    }

    [Fact]
    public void Compute_OneClass_GivesNaNAucAndAWarningNotAnException()
    {
        var sut = BinaryEvaluation.Compute([1, 1, 1], [0.2f, 0.8f, 0.6f]);

        Assert.True(double.IsNaN(sut.Auc));
        Assert.Contains(sut.Warnings, w => w.Contains("AUC", StringComparison.Ordinal));
        Assert.False(double.IsNaN(sut.LogLoss));
    }

    [Fact]
    public void Compute_AllScoresEqual_WarnsThatTheModelDoesNotRank()
    {
        var sut = BinaryEvaluation.Compute([0, 1, 1, 0], [0.5f, 0.5f, 0.5f, 0.5f]);

        Assert.Equal(0.5, sut.Auc);
        Assert.Contains(sut.Warnings, w => w.Contains("equal", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_NaNThreshold_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryEvaluation.Compute([0, 1], [0.2f, 0.8f], double.NaN));
    }
}
