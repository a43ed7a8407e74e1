using Microsoft.Extensions.Options;
using PatternQuality.Trees;
using Xunit.Abstractions;

namespace PatternQuality.Tests.Trees;

public class RandomForestLearnerTests
{
    private readonly ITestOutputHelper _output;

    public RandomForestLearnerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Fit_BinaryExample_ReachesScikitLearnAuc()
    {
        var model = CreateSut().Fit(TestData.BinaryTrain);
        var auc = TestData.Auc(TestData.Predict(model, TestData.BinaryTest), TestData.BinaryTest.Labels.Span);
        _output.WriteLine($"AUC {auc:F4}");

        // scikit-learn 1.2.1 RandomForestClassifier(100 trees, depth 10, balanced): 0.8093 here, 0.816 quoted in issue 3.
        Assert.InRange(auc, 0.816, 0.86);
    }

    [Fact]
    public void Fit_Coupon_ReachesScikitLearnAuc()
    {
        var (train, test) = TestData.Coupon;
        var model = CreateSut().Fit(train);
        var auc = TestData.Auc(TestData.Predict(model, test), test.Labels.Span);
        _output.WriteLine($"AUC {auc:F4}");

        // scikit-learn on one-hot columns, same split: 0.8012; 0.800 quoted in issue 3.
        Assert.InRange(auc, 0.800, 0.86);
        Assert.True(model.IsRandomForest);
    }

    [Fact]
    public void Fit_OneVersusTwoThreads_GivesBitIdenticalModels()
    {
        var (train, _) = TestData.Coupon;
        var one = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 8, Seed = 5, NumberOfThreads = 1 }).Fit(train);
        var two = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 8, Seed = 5, NumberOfThreads = 2 }).Fit(train);
        Assert.Equal(one.ToBytes(), two.ToBytes());
    }

    [Fact]
    public void Fit_Probabilities_AreMeanLeafFractionsInRange()
    {
        var data = SyntheticData.Binary(500);
        var model = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 10, ClassWeighting = ClassWeighting.None }).Fit(data);
        var p = TestData.Predict(model, data);
        Assert.All(p, v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(p.Average(), data.Labels.ToArray().Average() - 0.05, data.Labels.ToArray().Average() + 0.05);
    }

    [Fact]
    public void Fit_TinyDataset_ReturnsStumpAndSaysSo()
    {
        var data = SyntheticData.Binary(5);
        var model = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 3, MinimumExampleCountPerLeaf = 3 }).Fit(data);
        Assert.Contains(model.TrainingWarnings, w => w.Contains("stump", StringComparison.Ordinal));
        Assert.InRange(model.PredictProbability(data.GetRow(0)), 0f, 1f);
    }

    [Fact]
    public void Ctor_OptionsOutOfRange_NamesEachOptionAndRange()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 0, MaximumDepth = 31, FeatureFraction = 0 }));
        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains("The field RandomForestOptions.NumberOfTrees must be between 1 and 100000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field RandomForestOptions.MaximumDepth must be between 1 and 30.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field RandomForestOptions.FeatureFraction must be between 0 exclusive and 1.", ex.Message, StringComparison.Ordinal);
    }

    private static RandomForestLearner CreateSut() => new(new RandomForestOptions { Seed = 1 });
}
