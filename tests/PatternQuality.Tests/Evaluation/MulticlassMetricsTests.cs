using PatternQuality.Evaluation;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Evaluation;

public class MulticlassMetricsTests
{
    [Fact]
    public void Metrics_GoldenRankGrades_MatchScikitLearn()
    {
        var m = Load("multiclass_ranking.json").GetProperty("multiclass");
        var y = Floats(m.GetProperty("labels"));
        var p = Floats(m.GetProperty("probabilities"));
        var k = m.GetProperty("class_count").GetInt32();

        Near(m.GetProperty("accuracy").GetDouble(), MulticlassMetrics.Accuracy(y, p, k), 1e-9, "accuracy");
        Near(m.GetProperty("macro_f1").GetDouble(), MulticlassMetrics.MacroF1(y, p, k), 1e-9, "macro f1");
        Near(m.GetProperty("logloss").GetDouble(), MulticlassMetrics.LogLoss(y, p, k), 1e-9, "log loss");
    }

    [Fact]
    public void MacroF1_ClassNeverSeen_IsLeftOutOfTheMean()
    {
        // Class 2 is neither a label nor a prediction: the mean is over classes 0 and 1 only.
        Assert.Equal(1.0, MulticlassMetrics.MacroF1([0, 1], [0.9f, 0.1f, 0f, 0.1f, 0.9f, 0f], 3), 12);
    }

    [Fact]
    public void Accuracy_LabelOutOfRange_ThrowsNamingTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => MulticlassMetrics.Accuracy([0, 3], [0.5f, 0.5f, 0.5f, 0.5f], 2));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogLoss_ShapeMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.LogLoss([0, 1], [0.5f, 0.5f, 0.5f], 2));
    }
}
