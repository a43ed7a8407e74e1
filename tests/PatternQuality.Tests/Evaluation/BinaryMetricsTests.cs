using PatternQuality.Evaluation;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Evaluation;

public class BinaryMetricsTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases("binary_metrics.json"))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Metrics_GoldenCase_MatchScikitLearn(string name)
    {
        var c = Cases("binary_metrics.json").Single(e => e.GetProperty("name").GetString() == name);
        var y = Floats(c.GetProperty("labels"));
        var p = Floats(c.GetProperty("scores"));
        var w = OptionalFloats(c, "weights");
        var t = c.GetProperty("threshold").GetDouble();

        Near(c.GetProperty("auc").GetDouble(), BinaryMetrics.Auc(y, p, w), Tolerance, $"{name} auc");
        Near(c.GetProperty("pr_auc").GetDouble(), BinaryMetrics.AveragePrecision(y, p, w), Tolerance, $"{name} pr_auc");
        Near(c.GetProperty("logloss").GetDouble(), BinaryMetrics.LogLoss(y, p, w), Tolerance, $"{name} logloss");
        Near(c.GetProperty("brier").GetDouble(), BinaryMetrics.Brier(y, p, w), Tolerance, $"{name} brier");
        var cm = BinaryMetrics.Confusion(y, p, t, w);
        Near(c.GetProperty("accuracy").GetDouble(), cm.Accuracy, Tolerance, $"{name} accuracy");
        Near(c.GetProperty("precision").GetDouble(), cm.Precision, Tolerance, $"{name} precision");
        Near(c.GetProperty("recall").GetDouble(), cm.Recall, Tolerance, $"{name} recall");
        Near(c.GetProperty("f1").GetDouble(), cm.F1, Tolerance, $"{name} f1");
        Near(c.GetProperty("ece").GetDouble(), BinaryMetrics.ExpectedCalibrationError(y, p, w), Tolerance, $"{name} ece");
        Near(c.GetProperty("mce").GetDouble(), BinaryMetrics.MaximumCalibrationError(y, p, w), Tolerance, $"{name} mce");
        Near(c.GetProperty("ece_equal_mass").GetDouble(), BinaryMetrics.ExpectedCalibrationError(y, p, w, 10, CalibrationBinning.EqualMass), Tolerance, $"{name} ece equal mass");
        Near(c.GetProperty("mce_equal_mass").GetDouble(), BinaryMetrics.MaximumCalibrationError(y, p, w, 10, CalibrationBinning.EqualMass), Tolerance, $"{name} mce equal mass");
        var best = BinaryMetrics.FindBestF1(y, p, w);
        Near(c.GetProperty("best_f1").GetDouble(), best.F1, Tolerance, $"{name} best f1");
        Near(c.GetProperty("best_f1_threshold").GetDouble(), best.Threshold, 0, $"{name} best f1 threshold");
    }

    [Fact]
    public void Auc_OneClass_ReturnsNaN()
    {
        Assert.True(double.IsNaN(BinaryMetrics.Auc([1, 1, 1], [0.2f, 0.5f, 0.9f])));
        Assert.True(double.IsNaN(BinaryMetrics.Auc([0, 0], [0.2f, 0.5f])));
    }

    [Fact]
    public void Auc_AllScoresEqual_IsOneHalf()
    {
        Assert.Equal(0.5, BinaryMetrics.Auc([0, 1, 0, 1], [0.3f, 0.3f, 0.3f, 0.3f]), 12);
    }

    [Fact]
    public void Auc_TiedPair_CountsHalf()
    {
        // Pairs (neg, pos): (0.1, 0.5) right, (0.5, 0.5) tie = 1/2, so (1 + 0.5) / 2.
        Assert.Equal(0.75, BinaryMetrics.Auc([0, 0, 1], [0.1f, 0.5f, 0.5f]), 12);
    }

    [Fact]
    public void AveragePrecision_NoPositives_ReturnsNaN()
    {
        Assert.True(double.IsNaN(BinaryMetrics.AveragePrecision([0, 0], [0.1f, 0.7f])));
    }

    [Fact]
    public void FindBestF1_NoPositives_ReturnsZeroAndNaNThreshold()
    {
        var best = BinaryMetrics.FindBestF1([0, 0], [0.1f, 0.7f]);
        Assert.Equal(0, best.F1);
        Assert.True(double.IsNaN(best.Threshold));
    }

    [Fact]
    public void LogLoss_ConfidentMistake_IsFiniteAsScikitLearnClips()
    {
        // -log(eps) with eps = 2.22e-16.
        Assert.Equal(36.04365338911715, BinaryMetrics.LogLoss([1], [0f]), 9);
    }

    [Fact]
    public void Metrics_EmptyInput_ThrowsNamingTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auc([], []));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_LengthMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.Brier([0, 1], [0.5f]));
        Assert.Contains("labels has 2 entries but scores has 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_NaNScore_ThrowsNamingTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auc([0, 1], [0.5f, float.NaN]));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_LabelNotBinary_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auc([0, 2], [0.5f, 0.4f]));
        Assert.Contains("0 or 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogLoss_ProbabilityAboveOne_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryMetrics.LogLoss([0, 1], [0.5f, 1.5f]));
    }

    [Fact]
    public void Metrics_WeightCountMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryMetrics.Auc([0, 1], [0.5f, 0.4f], [1f]));
    }

    [Fact]
    public void Confusion_ScoreEqualToThreshold_IsPredictedPositive()
    {
        var cm = BinaryMetrics.Confusion([1, 0], [0.5f, 0.49f], 0.5);
        Assert.Equal(new ConfusionMatrix(1, 0, 1, 0), cm);
    }
}
