using Microsoft.Extensions.Options;
using PatternQuality.Tests.TestUtils;
using PatternQuality.ActiveLearning;
using PatternQuality.Data;
using PatternQuality.Features;

namespace PatternQuality.Tests.ActiveLearning;

public class ActiveLearningSimulationTests
{
    private static readonly Lazy<Dataset> _coupon = new(() =>
        CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y", Drop = { "car" } }).Dataset);

    private static ActiveLearningSimulationOptions Small() => new()
    {
        StartLabels = 100,
        BatchSize = 100,
        Budget = 400,
        Seeds = 2,
        Model = new() { NumberOfTrees = 30, NumberOfLeaves = 15 },
    };

    [Fact]
    public void Run_OnCoupon_GivesOneCurvePerStrategyFromTheSameStart()
    {
        IQueryStrategy[] strategies = [new RandomQueryStrategy(), new UncertaintyQueryStrategy(), new DiverseBatchQueryStrategy()];
        var reports = new List<double>();

        var result = ActiveLearningSimulation.Run(_coupon.Value, strategies, Small(), new Progress(reports));

        Assert.Equal(["diverse", "least-confident", "random"], result.Curves.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, result.Seeds);
        foreach (var curve in result.Curves.Values)
        {
            Assert.Equal([100, 200, 300, 400], curve.Select(p => p.Labels));
            Assert.All(curve, p => Assert.InRange(p.Auc, 0.55, 0.9));
            Assert.All(curve, p => Assert.True(p.AucStandardDeviation >= 0));
        }

        // Every strategy starts from the same random labels and the same model options.
        Assert.Equal(result.Curves["random"][0].Auc, result.Curves["diverse"][0].Auc, 12);
        Assert.True(result.Curves["random"][^1].Auc > result.Curves["random"][0].Auc);
        Assert.Equal(100, result.LabelsToReach("random", 0));
        Assert.Null(result.LabelsToReach("random", 0.99));
        Assert.Throws<KeyNotFoundException>(() => result.LabelsToReach("oracle", 0.5));
        Assert.Equal(1.0, reports[^1], 12);
    }

    [Fact]
    public void Run_OnCoupon_HedgedFollowsRandomExactlyUntilItsWarmUpEnds()
    {
        // 2.5 examples of the rarer class per feature (60 for coupon's 24 features; its rarer class is 43%): 100 labels are short of it, 200 are not.
        IQueryStrategy[] strategies = [new RandomQueryStrategy(), new HedgedQueryStrategy(eventsPerFeature: 2.5), new UncertaintyQueryStrategy()];

        var result = ActiveLearningSimulation.Run(_coupon.Value, strategies, Small());

        var random = result.Curves["random"];
        var hedged = result.Curves["hedged"];
        Assert.Equal(random[0].Auc, hedged[0].Auc, 12);
        Assert.Equal(random[1].Auc, hedged[1].Auc, 12); // the round at 100 labels drew random's own picks
        Assert.NotEqual(random[2].Auc, hedged[2].Auc);  // from 200 labels on, the uncertainty picks
    }

    [Fact]
    public void Run_IsReproducible()
    {
        var options = Small();
        options.Seeds = 1;
        options.Budget = 200;
        var a = ActiveLearningSimulation.Run(_coupon.Value, [new UncertaintyQueryStrategy()], options);
        var b = ActiveLearningSimulation.Run(_coupon.Value, [new UncertaintyQueryStrategy()], options);
        Assert.Equal(a.Curves["least-confident"], b.Curves["least-confident"]);
    }

    [Fact]
    public void Run_BadArguments_ThrowClearErrors()
    {
        var data = _coupon.Value;
        Assert.Throws<ArgumentException>(() => ActiveLearningSimulation.Run(data, []));
        Assert.Contains("share a name", Assert.Throws<ArgumentException>(() => ActiveLearningSimulation.Run(data, [new RandomQueryStrategy(), new RandomQueryStrategy()], Small())).Message);
        var tooBig = Small();
        tooBig.Budget = 100_000;
        Assert.Contains("fewer than the budget", Assert.Throws<ArgumentException>(() => ActiveLearningSimulation.Run(data, [new RandomQueryStrategy()], tooBig)).Message);

        var invalid = new ActiveLearningSimulationOptions { StartLabels = 500, Budget = 100, Seeds = 0, TestFraction = 2 };
        var ex = Assert.Throws<OptionsValidationException>(() => ActiveLearningSimulation.Run(data, [new RandomQueryStrategy()], invalid));
        Assert.True(ex.Failures.Count() >= 3, string.Join(" | ", ex.Failures)); // every error at once
    }

    private sealed class Progress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
