namespace PatternQuality.Trees.Internal;

/// <summary>
/// Finds a leaf's best split from its histogram. Numeric features and large categorical ones share one prefix scan:
/// numeric bins in value order (missing values first on the left, or not at all), categories ordered by their mean
/// gradient from either end. Small categorical features try each category against the rest.
/// </summary>
/// <remarks>
/// The score of a split is the Newton gain <c>GL²/(HL+λ) + GR²/(HR+λ) - G²/(H+λ)</c>. Ties keep the first candidate
/// seen (lower bin, missing-right pass, lower-to-higher ordering, lower feature index), so results never depend on
/// thread scheduling: each feature is searched by one thread and the per-feature results are combined in feature order.
/// </remarks>
internal sealed class SplitFinder
{
    private const int ParallelBinThreshold = 2048;

    private readonly BinnedDataset _data;
    private readonly GrowerSettings _settings;
    private readonly ParallelOptions _parallel;
    private readonly bool _multiThreaded;
    private readonly SplitInfo?[] _perFeature;

    public SplitFinder(BinnedDataset data, GrowerSettings settings, ParallelOptions parallel)
    {
        _data = data;
        _settings = settings;
        _parallel = parallel;
        _multiThreaded = parallel.MaxDegreeOfParallelism != 1;
        _perFeature = new SplitInfo[data.FeatureCount];
    }

    /// <summary>Returns the best split over the <paramref name="candidates"/> features whose gain exceeds the minimum, or null.</summary>
    /// <param name="hist">The leaf's histogram (sections of the candidate features filled).</param>
    /// <param name="g">The leaf's gradient sum.</param>
    /// <param name="h">The leaf's hessian sum.</param>
    /// <param name="count">The leaf's row count.</param>
    /// <param name="candidates">The features to search.</param>
    public SplitInfo? FindBest(double[] hist, double g, double h, int count, bool[] candidates)
    {
        var results = _perFeature;
        Array.Clear(results);
        if (_multiThreaded && _data.TotalBinCount >= ParallelBinThreshold)
        {
            Parallel.For(0, _data.FeatureCount, _parallel, j =>
            {
                if (candidates[j])
                {
                    results[j] = FindForFeature(hist, j, g, h, count);
                }
            });
        }
        else
        {
            for (var j = 0; j < _data.FeatureCount; j++)
            {
                if (candidates[j])
                {
                    results[j] = FindForFeature(hist, j, g, h, count);
                }
            }
        }

        SplitInfo? best = null;
        foreach (var s in results)
        {
            if (s is not null && s.Gain > _settings.MinGain && (best is null || s.Gain > best.Gain))
            {
                best = s;
            }
        }

        return best;
    }

    /// <summary>Returns the best split of one feature from its histogram section (3 doubles per bin, bin 0 = missing), or null.</summary>
    public static SplitInfo? Find(ReadOnlySpan<double> bins, bool categorical, int feature, double g, double h, int count, GrowerSettings settings)
        => categorical
            ? FindCategorical(bins, feature, g, h, count, settings)
            : FindNumeric(bins, feature, g, h, count, settings);

    private SplitInfo? FindForFeature(double[] hist, int feature, double g, double h, int count)
    {
        var fb = _data.Features[feature];
        var bins = hist.AsSpan(_data.HistogramOffsets[feature] * 3, fb.BinCount * 3);
        return Find(bins, fb.IsCategorical, feature, g, h, count, _settings);
    }

    private static SplitInfo? FindNumeric(ReadOnlySpan<double> bins, int feature, double g, double h, int count, GrowerSettings s)
    {
        var binCount = bins.Length / 3;
        var best = Candidate.None;
        var missingCount = (int)bins[2];
        var order = new Ascending(1);

        // Missing values right (pass 0), then, if there are any, left (pass 1): the better becomes the default direction.
        ScanPrefixes(bins, order, binCount - 2, 0, 0, 0, g, h, count, s.L2, s, pass: 0, ref best);
        if (missingCount > 0)
        {
            ScanPrefixes(bins, order, binCount - 2, bins[0], bins[1], missingCount, g, h, count, s.L2, s, pass: 1, ref best);
        }

        if (best.Index < 0)
        {
            return null;
        }

        // With no missing values in training, send NaN where most rows went.
        var defaultLeft = missingCount == 0 ? best.Lc >= count - best.Lc : best.Pass == 1;
        return best.ToSplit(feature, g, h, count, LeafScore(g, h, s.L2), bin: order.At(best.Index), defaultLeft, leftBins: null);
    }

    private static SplitInfo? FindCategorical(ReadOnlySpan<double> bins, int feature, double g, double h, int count, GrowerSettings s)
    {
        var binCount = bins.Length / 3;
        var present = new List<int>();
        for (var b = 1; b < binCount; b++)
        {
            if (bins[(b * 3) + 2] > 0)
            {
                present.Add(b);
            }
        }

        var parentScore = LeafScore(g, h, s.L2);
        if (present.Count <= s.MaxOneHotCategories)
        {
            // One category against the rest (the rest includes missing values).
            var best = Candidate.None;
            int[]? left = null;
            foreach (var b in present)
            {
                double lg = bins[b * 3], lh = bins[(b * 3) + 1];
                var lc = (int)bins[(b * 3) + 2];
                double rg = g - lg, rh = h - lh;
                var rc = count - lc;
                if (lc < s.MinLeafCount || rc < s.MinLeafCount || lh < s.MinChildWeight || rh < s.MinChildWeight)
                {
                    continue;
                }

                var score = LeafScore(lg, lh, s.L2) + LeafScore(rg, rh, s.L2);
                if (score > best.Score)
                {
                    best = new Candidate(score, 0, 0, lg, lh, lc);
                    left = [b];
                }
            }

            return left is null ? null : best.ToSplit(feature, g, h, count, parentScore, bin: 0, defaultLeft: false, left);
        }

        // Order the frequent categories by smoothed mean gradient and scan prefixes from both ends (LightGBM's idea):
        // the best partition of an ordered set into two is a prefix for this loss.
        var eligibleList = new List<int>();
        var keys = new List<double>();
        foreach (var b in present)
        {
            if (bins[(b * 3) + 2] >= s.MinCountPerCategory)
            {
                eligibleList.Add(b);
                keys.Add(bins[b * 3] / (bins[(b * 3) + 1] + s.CategoricalSmoothing));
            }
        }

        var eligible = eligibleList.ToArray();
        var sortKeys = keys.ToArray();

        // Stable order: ties keep ascending bin order.
        Array.Sort(sortKeys, eligible);
        SortTies(sortKeys, eligible);
        var length = Math.Min(Math.Min(s.MaxCategoricalThreshold, (eligible.Length + 1) / 2), eligible.Length);
        var regular = s.L2 + s.CategoricalL2;
        var found = Candidate.None;
        ScanPrefixes(bins, new Listed(eligible, reverse: false), length, 0, 0, 0, g, h, count, regular, s, pass: 0, ref found);
        ScanPrefixes(bins, new Listed(eligible, reverse: true), length, 0, 0, 0, g, h, count, regular, s, pass: 1, ref found);
        if (found.Index < 0)
        {
            return null;
        }

        var chosen = new Listed(eligible, reverse: found.Pass == 1);
        var leftBins = new int[found.Index + 1];
        for (var i = 0; i < leftBins.Length; i++)
        {
            leftBins[i] = chosen.At(i);
        }

        Array.Sort(leftBins);
        return found.ToSplit(feature, g, h, count, parentScore, bin: 0, defaultLeft: false, leftBins);
    }

    /// <summary>
    /// The one prefix scan: adds the bins <paramref name="order"/> lists, one at a time, to a left side that starts at
    /// (<paramref name="g0"/>, <paramref name="h0"/>, <paramref name="c0"/>), and keeps the best-scoring prefix that
    /// beats <paramref name="best"/> with both sides large enough.
    /// </summary>
    private static void ScanPrefixes<TOrder>(
        ReadOnlySpan<double> bins, TOrder order, int length, double g0, double h0, int c0, double g, double h, int count, double regular, GrowerSettings s, int pass, ref Candidate best)
        where TOrder : struct, IBinOrder
    {
        var minLeaf = s.MinLeafCount;
        var minWeight = s.MinChildWeight;
        var lg = g0;
        var lh = h0;
        var lc = c0;
        for (var i = 0; i < length; i++)
        {
            var b = order.At(i) * 3;
            lg += bins[b];
            lh += bins[b + 1];
            lc += (int)bins[b + 2];
            if (lc < minLeaf || lh < minWeight)
            {
                continue;
            }

            var rc = count - lc;
            var rh = h - lh;
            if (rc < minLeaf || rh < minWeight)
            {
                break;
            }

            var rg = g - lg;
            var score = LeafScore(lg, lh, regular) + LeafScore(rg, rh, regular);
            if (score > best.Score)
            {
                best = new Candidate(score, i, pass, lg, lh, lc);
            }
        }
    }

    private static double LeafScore(double g, double h, double regular) => g * g / (h + regular);

    private static void SortTies(double[] keys, int[] items)
    {
        // Array.Sort is not stable; put equal keys back in ascending bin order so the result never depends on it.
        var i = 0;
        while (i < keys.Length)
        {
            var j = i + 1;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                Array.Sort(items, i, j - i);
            }

            i = j;
        }
    }

    /// <summary>Which bin is the i-th of a scan; a struct so the scan is compiled once per order without indirect calls.</summary>
    private interface IBinOrder
    {
        int At(int i);
    }

    /// <summary>Bins <c>first, first + 1, ...</c> (numeric values in order).</summary>
    private readonly struct Ascending(int first) : IBinOrder
    {
        public int At(int i) => first + i;
    }

    /// <summary>The bins of a list, from its start or from its end.</summary>
    private readonly struct Listed(int[] items, bool reverse) : IBinOrder
    {
        public int At(int i) => reverse ? items[items.Length - 1 - i] : items[i];
    }

    /// <summary>The best prefix so far: its score, position in the scan, which scan, and left-side sums.</summary>
    private readonly record struct Candidate(double Score, int Index, int Pass, double Lg, double Lh, int Lc)
    {
        public static Candidate None => new(double.NegativeInfinity, -1, 0, 0, 0, 0);

        public SplitInfo ToSplit(int feature, double g, double h, int count, double parentScore, int bin, bool defaultLeft, int[]? leftBins) => new()
        {
            Feature = feature,
            Gain = Score - parentScore,
            Bin = bin,
            DefaultLeft = defaultLeft,
            LeftBins = leftBins,
            LeftGradient = Lg,
            LeftHessian = Lh,
            LeftCount = Lc,
            RightGradient = g - Lg,
            RightHessian = h - Lh,
            RightCount = count - Lc,
        };
    }
}
