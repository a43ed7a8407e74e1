using BenchmarkDotNet.Attributes;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>Scoring a 100-tree, 31-leaf model: one row, and a batch of 1,000,000 rows on all cores.</summary>
public class ScoringBenchmark
{
    private const int BatchRows = 1_000_000;
    private TreeEnsembleModel _model = null!;
    private float[] _row = null!;
    private float[] _batch = null!;
    private float[] _destination = null!;

    [GlobalSetup]
    public void Setup()
    {
        var train = BenchData.BinaryTrain();
        _model = new GradientBoostingLearner(TreeComparison.XgboostLikeOptions()).Fit(train);
        _row = train.GetRow(0).ToArray();
        var f = train.Schema.Count;
        var all = train.Features.Span;
        _batch = new float[BatchRows * f];
        for (var r = 0; r < BatchRows; r++)
        {
            all.Slice(r % train.RowCount * f, f).CopyTo(_batch.AsSpan(r * f));
        }

        _destination = new float[BatchRows];
    }

    [Benchmark(Baseline = true)]
    public float SingleRow() => _model.PredictProbability(_row);

    [Benchmark(OperationsPerInvoke = BatchRows)]
    public void Batch() => _model.PredictProbability(_batch, _destination);
}
