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
    public void PerClassAndConfusionCounts_GoldenRankGrades_MatchScikitLearn()
    {
        var m = Load("multiclass_ranking.json").GetProperty("multiclass");
        var y = Floats(m.GetProperty("labels"));
        var p = Floats(m.GetProperty("probabilities"));
        var k = m.GetProperty("class_count").GetInt32();
        var golden = Load("multiclass_report.json");

        var perClass = MulticlassMetrics.PerClass(y, p, k);
        var confusion = MulticlassMetrics.ConfusionCounts(y, p, k);

        Assert.Equal(k, perClass.Count);
        var precision = Doubles(golden.GetProperty("precision"));
        var recall = Doubles(golden.GetProperty("recall"));
        var f1 = Doubles(golden.GetProperty("f1"));
        var support = Doubles(golden.GetProperty("support"));
        for (var c = 0; c < k; c++)
        {
            Assert.Equal(c, perClass[c].Class);
            Near(precision[c], perClass[c].Precision, 1e-12, $"precision of class {c}");
            Near(recall[c], perClass[c].Recall, 1e-12, $"recall of class {c}");
            Near(f1[c], perClass[c].F1, 1e-12, $"f1 of class {c}");
            Assert.Equal((int)support[c], perClass[c].Support);
            Assert.Equal(golden.GetProperty("confusion")[c].EnumerateArray().Select(v => v.GetInt32()), confusion[c]);
        }

        // Macro-F1 is the mean of the per-class F1 over classes present, so the two agree here (every class occurs).
        Assert.Equal(MulticlassMetrics.MacroF1(y, p, k), perClass.Average(c => c.F1), 12);
    }

    [Fact]
    public void PerClass_ClassNeverPredicted_HasZeroPrecision()
    {
        var perClass = MulticlassMetrics.PerClass([0, 1, 1], [0.9f, 0.1f, 0.8f, 0.2f, 0.9f, 0.1f], 2);
        Assert.Equal(0, perClass[1].Precision);
        Assert.Equal(0, perClass[1].Recall);
        Assert.Equal(0, perClass[1].F1);
        Assert.Equal(2, perClass[1].Support);
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.ConfusionCounts([0, 2], [0.5f, 0.5f, 0.5f, 0.5f], 2));
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
