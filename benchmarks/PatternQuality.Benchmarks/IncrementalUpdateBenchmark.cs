using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using PatternQuality.Data;
using PatternQuality.Online;
using PatternQuality.Online.Internal;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Update latency for 100 new feedback rows (issue 6: median at most 20 ms, p95 at most 50 ms on two cores). The start
/// model is what <c>pq replay</c> trains on bank marketing (100 trees of 31 leaves on about 29,000 rows of 20 features);
/// the rows are synthetic with that shape so the benchmark needs no dataset. Baseline: naive continued boosting of 5
/// trees on the batch alone (what XGBoost's <c>xgb_model=</c> does per batch). Each iteration starts from a fresh
/// updater (after one untimed update) so the model does not grow across iterations; one update per iteration, so the median and p95 columns are
/// the per-update latency distribution.
/// </summary>
[Config(typeof(LatencyConfig))]
public class IncrementalUpdateBenchmark
{
    private const int Numeric = 10;
    private const int Categorical = 10;
    private const int BatchSize = 100;

    private FeatureSchema _schema = null!;
    private TreeEnsembleModel _start = null!;
    private Dataset _initial = null!;
    private Dataset[] _batches = null!;
    private IncrementalUpdater _updater = null!;
    private GradientBoostingLearner _naive = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var features = Enumerable.Range(0, Numeric).Select(i => new FeatureDefinition($"n{i}", FeatureKind.Numeric))
            .Concat(Enumerable.Range(0, Categorical).Select(i => new FeatureDefinition($"c{i}", FeatureKind.Categorical, Enumerable.Range(0, 10).Select(c => $"v{c}"))))
            .ToArray();
        _schema = new FeatureSchema(features);
        var random = new Random(42);
        _initial = Rows(28_000, random);
        _batches = Enumerable.Range(0, 64).Select(_ => Rows(BatchSize, random)).ToArray();
        _start = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfThreads = 2 }).Fit(_initial);
        _naive = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfThreads = 1 });
    }

    [IterationSetup(Target = nameof(Incremental))]
    public void ResetUpdater()
    {
        _updater = new IncrementalUpdater(new IncrementalLearnerOptions(), _start, null, _initial);

        // The first update bins the window; later ones reuse the bins until the window turns over or a value leaves
        // their range. One untimed update puts the updater in that steady state.
        _updater.Update(NextBatch());
    }

    [Benchmark(Baseline = true)]
    public TreeEnsembleModel NaiveContinuedBoosting() => _naive.ContinueTraining(_start, NextBatch(), 5);

    [Benchmark]
    public bool Incremental() => _updater.Update(NextBatch()).Accepted;

    private Dataset NextBatch() => _batches[_next++ % _batches.Length];

    private Dataset Rows(int count, Random random)
    {
        var width = _schema.Count;
        var x = new float[count * width];
        var y = new float[count];
        for (var r = 0; r < count; r++)
        {
            var z = -2.0;
            for (var j = 0; j < Numeric; j++)
            {
                var v = (float)random.NextDouble();
                x[(r * width) + j] = v;
                z += ((j % 3) - 1) * v;
            }

            for (var j = Numeric; j < width; j++)
            {
                var c = random.Next(10);
                x[(r * width) + j] = c;
                z += c == j - Numeric ? 0.3 : 0;
            }

            y[r] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1f : 0f;
        }

        return new Dataset(_schema, x, y);
    }

    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);

            // A default job: it gives way to a job named on the command line (`--job dry` in CI's smoke run, `--job
            // short`) instead of running beside it.
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(60).AsDefault());
        }
    }
}
