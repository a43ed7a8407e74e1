namespace PatternQuality.Trees.Internal;

/// <summary>
/// How one feature's values map to bins. Bin 0 always holds missing values (NaN). Numeric values go to bins
/// 1..<see cref="BinCount"/>-1 by upper bounds; a categorical value c goes to bin c + 1.
/// </summary>
internal sealed class FeatureBins
{
    private readonly float[] _upperBounds;

    private FeatureBins(bool categorical, float[] upperBounds, int binCount)
    {
        IsCategorical = categorical;
        _upperBounds = upperBounds;
        BinCount = binCount;
    }

    /// <summary>Gets whether the feature is categorical.</summary>
    public bool IsCategorical { get; }

    /// <summary>Gets the number of bins including the missing bin.</summary>
    public int BinCount { get; }

    /// <summary>Gets whether the feature can be split at all (two or more value bins).</summary>
    public bool IsSplittable => BinCount > 2;

    /// <summary>Builds numeric bins from the sorted non-missing values of a sample.</summary>
    /// <remarks>
    /// Few distinct values get one bin each; otherwise bins hold about equal counts, and a value heavier than a bin gets
    /// its own. A value v goes to the first bin whose upper bound is &gt;= v, so a split "bin &lt;= b" is exactly
    /// "v &lt;= upperBound[b]" on raw values and scoring never needs bins.
    /// </remarks>
    public static FeatureBins Numeric(float[] sortedValues, int maxBins)
    {
        var distinct = new List<float>();
        var counts = new List<int>();
        foreach (var v in sortedValues)
        {
            if (distinct.Count > 0 && distinct[^1] == v)
            {
                counts[^1]++;
            }
            else
            {
                distinct.Add(v);
                counts.Add(1);
            }
        }

        var bounds = new List<float>();
        if (distinct.Count <= maxBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++)
            {
                bounds.Add(Between(distinct[i], distinct[i + 1]));
            }
        }
        else
        {
            var remaining = sortedValues.Length;
            var binsLeft = maxBins;
            double accumulated = 0;
            for (var i = 0; i + 1 < distinct.Count && binsLeft > 1; i++)
            {
                accumulated += counts[i];
                remaining -= counts[i];
                var target = (accumulated + remaining) / binsLeft;

                // Close the bin once it holds its share, or before a value that alone fills a bin.
                if (accumulated >= target || counts[i + 1] >= target)
                {
                    bounds.Add(Between(distinct[i], distinct[i + 1]));
                    binsLeft--;
                    accumulated = 0;
                }
            }
        }

        return new FeatureBins(false, bounds.ToArray(), bounds.Count + 2);
    }

    /// <summary>Builds categorical bins: one per category index below <paramref name="categoryCount"/>, capped at <paramref name="maxBins"/>.</summary>
    public static FeatureBins Categorical(int categoryCount, int maxBins)
        => new(true, [], Math.Min(categoryCount, maxBins) + 1);

    /// <summary>Builds bins from stored upper bounds (numeric) or a bin count (categorical).</summary>
    public static FeatureBins FromParts(bool categorical, float[] upperBounds, int binCount) => new(categorical, upperBounds, binCount);

    /// <summary>Gets the raw threshold of a numeric split that sends bins 1..<paramref name="bin"/> left.</summary>
    public float UpperBound(int bin) => _upperBounds[bin - 1];

    /// <summary>Maps a raw value to its bin.</summary>
    public int BinOf(float value)
    {
        if (float.IsNaN(value))
        {
            return 0;
        }

        if (IsCategorical)
        {
            // Categories past the cap share the missing bin: categorical splits always send it right, as scoring
            // does for any index outside the split's category set.
            var c = (int)value;
            return c >= 0 && c < BinCount - 1 ? c + 1 : 0;
        }

        var lo = 0;
        var hi = _upperBounds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value <= _upperBounds[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo + 1;
    }

    private static float Between(float a, float b)
    {
        var m = (float)(((double)a + b) / 2);
        return m >= b || float.IsInfinity(m) ? a : m;
    }
}
