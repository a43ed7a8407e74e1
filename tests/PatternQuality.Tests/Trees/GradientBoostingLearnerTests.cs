using Xunit.Abstractions;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Trees;

public class GradientBoostingLearnerTests
{
    private readonly ITestOutputHelper _output;

    public GradientBoostingLearnerTests(ITestOutputHelper output) => _output = output;

    private static GradientBoostingLearner CreateSut(Action<GradientBoostingOptions>? configure = null)
    {
        var options = new GradientBoostingOptions { Seed = 1 };
        configure?.Invoke(options);
        return new GradientBoostingLearner(options);
    }

    [Fact]
    public void Fit_BinaryExample_ReachesXgboostAuc()
    {
        var sut = CreateSut();
        var model = sut.Fit(TestData.BinaryTrain);
        var auc = TestData.Auc(TestData.Predict(model, TestData.BinaryTest), TestData.BinaryTest.Labels.Span);
        _output.WriteLine($"AUC {auc:F4}");
        Assert.True(auc >= 0.836, $"AUC {auc:F4}");
    }

    [Fact]
    public void Fit_CouponNativeCategorical_ReachesXgboostOneHotAuc()
    {
        var (train, test) = TestData.Coupon;
        var sut = CreateSut();
        var model = sut.Fit(train);
        var auc = TestData.Auc(TestData.Predict(model, test), test.Labels.Span);
        _output.WriteLine($"AUC {auc:F4}");
        Assert.True(auc >= 0.828, $"AUC {auc:F4}");
    }
}
