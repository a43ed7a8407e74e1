using Xunit.Abstractions;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Trees;

public class RandomForestLearnerTests
{
    private readonly ITestOutputHelper _output;

    public RandomForestLearnerTests(ITestOutputHelper output) => _output = output;

    private static RandomForestLearner CreateSut() => new(new RandomForestOptions { Seed = 1 });

    [Fact]
    public void Fit_BinaryExample_ReachesScikitLearnAuc()
    {
        var model = CreateSut().Fit(TestData.BinaryTrain);
        var auc = TestData.Auc(TestData.Predict(model, TestData.BinaryTest), TestData.BinaryTest.Labels.Span);
        _output.WriteLine($"AUC {auc:F4}");
        Assert.True(auc >= 0.816, $"AUC {auc:F4}");
    }

    [Fact]
    public void Fit_Coupon_ReachesScikitLearnAuc()
    {
        var (train, test) = TestData.Coupon;
        var model = CreateSut().Fit(train);
        var auc = TestData.Auc(TestData.Predict(model, test), test.Labels.Span);
        _output.WriteLine($"AUC {auc:F4}");
        Assert.True(auc >= 0.800, $"AUC {auc:F4}");
    }
}
