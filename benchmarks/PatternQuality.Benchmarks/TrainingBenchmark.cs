using BenchmarkDotNet.Attributes;
using PatternQuality.Data;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>Training time on LightGBM's binary example and the coupon data (settings as in docs/benchmarks.md).</summary>
public class TrainingBenchmark
{
    private Dataset _binary = null!;
    private Dataset _coupon = null!;

    [GlobalSetup]
    public void Setup()
    {
        _binary = BenchData.BinaryTrain();
        _coupon = BenchData.Coupon().Train;
    }

    [Benchmark(Baseline = true)]
    public TreeEnsembleModel GradientBoostingBinary() => new GradientBoostingLearner(TreeComparison.XgboostLikeOptions()).Fit(_binary);

    [Benchmark]
    public TreeEnsembleModel GradientBoostingCoupon() => new GradientBoostingLearner(TreeComparison.XgboostLikeOptions()).Fit(_coupon);

    [Benchmark]
    public TreeEnsembleModel RandomForestBinary() => new RandomForestLearner(TreeComparison.ForestOptions()).Fit(_binary);
}
