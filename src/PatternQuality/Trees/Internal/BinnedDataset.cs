using PatternQuality.Data;

namespace PatternQuality.Trees.Internal;

/// <summary>The training rows as one byte per (feature, row), column-major, plus each feature's bins.</summary>
internal sealed class BinnedDataset
{
    private const int SampleSize = 200_000;

    private BinnedDataset(int rows, FeatureBins[] features, byte[] bins, int[] offsets)
    {
        RowCount = rows;
        Features = features;
        Bins = bins;
        HistogramOffsets = offsets;
        TotalBinCount = offsets[^1];
    }

    public int RowCount { get; }

    public int FeatureCount => Features.Length;

    public FeatureBins[] Features { get; }

    /// <summary>Gets the bin of row r, feature f at <c>f * RowCount + r</c>.</summary>
    public byte[] Bins { get; }

    /// <summary>Gets where each feature's bins start in a histogram; the last entry is the total.</summary>
    public int[] HistogramOffsets { get; }

    public int TotalBinCount { get; }

    /// <summary>Wraps bins computed elsewhere (column-major, <c>f * rows + r</c>) with their feature bins.</summary>
    public static BinnedDataset FromBins(int rows, FeatureBins[] features, byte[] bins)
    {
        if (bins.LongLength != (long)rows * features.Length)
        {
            throw new ArgumentException($"{bins.LongLength} bins do not make {rows} rows of {features.Length} features.", nameof(bins));
        }

        var offsets = new int[features.Length + 1];
        for (var j = 0; j < features.Length; j++)
        {
            offsets[j + 1] = offsets[j] + features[j].BinCount;
        }

        return new BinnedDataset(rows, features, bins, offsets);
    }

    /// <summary>Bins a dataset. Bin bounds come from at most 200,000 rows drawn with <paramref name="seed"/>.</summary>
    public static BinnedDataset Build(Dataset data, int maxBins, int seed, ParallelOptions parallel, CancellationToken cancellationToken)
    {
        var n = data.RowCount;
        var f = data.Schema.Count;
        var features = data.Features;
        int[]? sample = null;
        if (n > SampleSize)
        {
            var rng = new Random(seed);
            sample = new int[SampleSize];
            for (var i = 0; i < SampleSize; i++)
            {
                sample[i] = rng.Next(n);
            }
        }

        var featureBins = new FeatureBins[f];
        var bins = new byte[(long)n * f];
        Parallel.For(0, f, parallel, j =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = features.Span;
            var definition = data.Schema[j];
            FeatureBins fb;
            if (definition.Kind == FeatureKind.Categorical)
            {
                fb = FeatureBins.Categorical(definition.Categories.Count, maxBins);
            }
            else
            {
                var count = sample?.Length ?? n;
                var values = new List<float>(count);
                for (var i = 0; i < count; i++)
                {
                    var r = sample is null ? i : sample[i];
                    var v = row[(r * f) + j];
                    if (!float.IsNaN(v))
                    {
                        values.Add(v);
                    }
                }

                var sorted = values.ToArray();
                Array.Sort(sorted);
                fb = FeatureBins.Numeric(sorted, maxBins);
            }

            featureBins[j] = fb;
            var column = bins.AsSpan(j * n, n);
            for (var r = 0; r < n; r++)
            {
                column[r] = (byte)fb.BinOf(row[(r * f) + j]);
            }
        });

        var offsets = new int[f + 1];
        for (var j = 0; j < f; j++)
        {
            offsets[j + 1] = offsets[j] + featureBins[j].BinCount;
        }

        return new BinnedDataset(n, featureBins, bins, offsets);
    }
}
