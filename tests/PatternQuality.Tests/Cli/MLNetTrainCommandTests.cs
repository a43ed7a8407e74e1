using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using PatternQuality.Evaluation;
using PatternQuality.Tests.MLNet;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Tests.Trees;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary><c>pq train --trainer fasttree|fastforest|lightgbm</c>.</summary>
public class MLNetTrainCommandTests
{
    [Fact]
    public void Train_FastTreeOnTheBinaryExample_GivesMLNetsAuc()
    {
        var context = new MLContext(42);
        var direct = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { Seed = 42 })
            .Fit(MLNetReference.View(context, TestData.BinaryTrain));
        var expected = BinaryMetrics.Auc(TestData.BinaryTest.Labels.Span, MLNetReference.Transform(context, direct, TestData.BinaryTest).Probability);
        using var store = new TempStore();

        var (code, stdout, stderr) = Run(
            "train", "--store", store.Dir, "--data", SharedData.BinaryTrain, "--test", SharedData.BinaryTest, "--no-header", "--label", "c0",
            "--trainer", "fasttree", "--calibration", "platt", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(expected, doc.RootElement.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.0005);
    }

    [Theory]
    [InlineData("fastforest")]
    [InlineData("lightgbm")]
    public void Train_OtherMLNetTrainersOnCoupon_StoreAVersion(string trainer)
    {
        using var store = new TempStore();

        var (code, stdout, stderr) = Run(["train", "--store", store.Dir, .. TempStore.CouponFlags, "--trainer", trainer, "--trees", "10", "--calibration", "none", "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.InRange(doc.RootElement.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.5, 0.95);
        var (cvCode, _, cvErr) = Run(["cv", .. TempStore.CouponFlags, "--trainer", trainer, "--trees", "5", "--folds", "2", "--json"]);
        Assert.True(cvCode == 0, cvErr);
    }
}
