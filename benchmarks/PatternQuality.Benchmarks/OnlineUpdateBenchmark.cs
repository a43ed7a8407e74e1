using BenchmarkDotNet.Attributes;
using PatternQuality.Data;
using PatternQuality.Feedback;
using PatternQuality.Online;

namespace PatternQuality.Benchmarks;

/// <summary>
/// The per-batch costs of the online path: learning a 500-row batch (the baseline), scoring it, the prequential
/// bookkeeping and drift detection on its losses, and moving it through the feedback collector. Synthetic rows
/// (10 numeric and 5 categorical features) so the benchmark needs no dataset.
/// </summary>
public class OnlineUpdateBenchmark
{
    private const int BatchSize = 500;

    private OnlineLogisticRegression _learner = null!;
    private Dataset _batch = null!;
    private float[] _scores = null!;
    private double[] _losses = null!;
    private PrequentialEvaluator _evaluator = null!;
    private FeedbackRecord<int>[] _records = null!;

    [GlobalSetup]
    public void Setup()
    {
        var features = Enumerable.Range(0, 10).Select(i => new FeatureDefinition($"n{i}", FeatureKind.Numeric))
            .Concat(Enumerable.Range(0, 5).Select(i => new FeatureDefinition($"c{i}", FeatureKind.Categorical, Enumerable.Range(0, 8).Select(c => $"v{c}"))))
            .ToArray();
        var schema = new FeatureSchema(features);
        var random = new Random(42);
        var f = new float[BatchSize * schema.Count];
        var l = new float[BatchSize];
        for (var r = 0; r < BatchSize; r++)
        {
            var z = 0.0;
            for (var j = 0; j < 10; j++)
            {
                var x = (float)((random.NextDouble() * 2) - 1);
                f[(r * schema.Count) + j] = x;
                z += (j % 3 - 1) * x;
            }

            for (var j = 10; j < 15; j++)
            {
                f[(r * schema.Count) + j] = 1 + random.Next(8);
            }

            l[r] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1f : 0f;
        }

        _batch = new Dataset(schema, f, l);
        _learner = new OnlineLogisticRegression();
        _learner.Update(_batch);
        _scores = new float[BatchSize];
        _losses = new double[BatchSize];
        _evaluator = new PrequentialEvaluator(1000);
        var t0 = DateTimeOffset.UnixEpoch;
        _records = Enumerable.Range(0, BatchSize).Select(i => new FeedbackRecord<int>($"id{i}", i, i, FeedbackOutcome.Approved, t0.AddSeconds(i))).ToArray();
    }

    [Benchmark(Baseline = true)]
    public object Update() => _learner.Update(_batch);

    [Benchmark]
    public void Score() => _learner.Current!.PredictProbability(_batch.Features.Span, _scores);

    [Benchmark]
    public PrequentialMetrics EvaluateAndGetMetrics()
    {
        _evaluator.Add(_batch.Labels.Span, _scores, _losses);
        return _evaluator.GetMetrics();
    }

    [Benchmark]
    public bool PageHinkleyOnBatchLosses()
    {
        var detector = new PageHinkleyDetector();
        var drift = false;
        foreach (var loss in _losses)
        {
            drift |= detector.Add(loss);
        }

        return drift;
    }

    [Benchmark]
    public bool AdwinOnBatchLosses()
    {
        var detector = new AdwinDetector();
        var drift = false;
        foreach (var loss in _losses)
        {
            drift |= detector.Add(loss);
        }

        return drift;
    }

    [Benchmark]
    public int CollectorWriteAndDrain()
    {
        using var collector = new FeedbackCollector<int>(new FeedbackCollectorOptions { Capacity = BatchSize, DuplicateWindow = BatchSize });
        foreach (var r in _records)
        {
            collector.TryWrite(r);
        }

        return collector.DrainBatch().Count;
    }
}
