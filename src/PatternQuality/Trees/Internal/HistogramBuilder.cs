namespace PatternQuality.Trees.Internal;

/// <summary>Fills a leaf's histogram (gradient, hessian and count per bin of every feature) from its rows, or by subtraction.</summary>
/// <remarks>
/// Work is split across threads by feature only: each feature's bins are summed by one thread in row order, so the
/// sums never depend on the thread count.
/// </remarks>
internal sealed class HistogramBuilder
{
    private const int ParallelWorkThreshold = 16_384;

    private readonly BinnedDataset _data;
    private readonly ParallelOptions _parallel;
    private readonly bool _multiThreaded;

    public HistogramBuilder(BinnedDataset data, ParallelOptions parallel)
    {
        _data = data;
        _parallel = parallel;
        _multiThreaded = parallel.MaxDegreeOfParallelism != 1;
    }

    /// <summary>Sums the rows <c>indices[begin..begin+count)</c> into the sections of <paramref name="hist"/> of the features set in <paramref name="features"/>.</summary>
    public void Build(double[] hist, int[] indices, int begin, int count, float[] grad, float[] hess, bool[] features)
    {
        if (_multiThreaded && (long)count * _data.FeatureCount >= ParallelWorkThreshold)
        {
            Parallel.For(0, _data.FeatureCount, _parallel, j => BuildFeature(hist, j, indices, begin, count, grad, hess, features));
        }
        else
        {
            for (var j = 0; j < _data.FeatureCount; j++)
            {
                BuildFeature(hist, j, indices, begin, count, grad, hess, features);
            }
        }
    }

    /// <summary>Turns a parent's histogram into its larger child's: parent minus the smaller child.</summary>
    public void Subtract(double[] parent, double[] child, bool[] features)
    {
        var offsets = _data.HistogramOffsets;
        for (var j = 0; j < features.Length; j++)
        {
            if (!features[j])
            {
                continue;
            }

            var p = parent.AsSpan(offsets[j] * 3, (offsets[j + 1] - offsets[j]) * 3);
            var c = child.AsSpan(offsets[j] * 3, p.Length);
            for (var k = 0; k < p.Length; k++)
            {
                p[k] -= c[k];
            }
        }
    }

    private void BuildFeature(double[] hist, int feature, int[] indices, int begin, int count, float[] grad, float[] hess, bool[] features)
    {
        if (!features[feature])
        {
            return;
        }

        var offset = _data.HistogramOffsets[feature] * 3;
        var h = hist.AsSpan(offset, (_data.HistogramOffsets[feature + 1] - _data.HistogramOffsets[feature]) * 3);
        h.Clear();
        var column = _data.Bins.AsSpan(feature * _data.RowCount, _data.RowCount);
        var rows = indices.AsSpan(begin, count);
        foreach (var r in rows)
        {
            var b = column[r] * 3;
            h[b] += grad[r];
            h[b + 1] += hess[r];
            h[b + 2] += 1;
        }
    }
}
