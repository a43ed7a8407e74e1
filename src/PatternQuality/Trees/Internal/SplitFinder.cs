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
    private readonly Found[] _perFeature;

    // One set of buffers per categorical feature, made on its first search and reused for every leaf of every tree:
    // a search used to allocate its category lists and a SplitInfo per feature per leaf, the bulk of a training's
    // garbage (issue 10: a retrain's gen0 collections pause the requests a host serves beside it). Each feature is
    // searched by one thread at a time, so a feature's buffers are never shared.
    private readonly Scratch?[] _scratch;

    public SplitFinder(BinnedDataset data, GrowerSettings settings, ParallelOptions parallel)
    {
        _data = data;
        _settings = settings;
        _parallel = parallel;
        _multiThreaded = parallel.MaxDegreeOfParallelism != 1;
        _perFeature = new Found[data.FeatureCount];
        _scratch = new Scratch?[data.FeatureCount];
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
        Array.Fill(results, Found.None);
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

        var best = -1;
        for (var j = 0; j < results.Length; j++)
        {
            if (!results[j].IsNone && results[j].Gain > _settings.MinGain && (best < 0 || results[j].Gain > results[best].Gain))
            {
                best = j;
            }
        }

        return best < 0 ? null : results[best].ToSplit(best, g, h, count, _scratch[best]);
    }

    /// <summary>Returns the best split of one feature from its histogram section (3 doubles per bin, bin 0 = missing), or null.</summary>
    public static SplitInfo? Find(ReadOnlySpan<double> bins, bool categorical, int feature, double g, double h, int count, GrowerSettings settings)
    {
        var scratch = categorical ? new Scratch(bins.Length / 3) : null;
        var found = categorical
            ? FindCategorical(bins, g, h, count, settings, scratch!)
            : FindNumeric(bins, g, h, count, settings);
        return found.IsNone ? null : found.ToSplit(feature, g, h, count, scratch);
    }

    private Found FindForFeature(double[] hist, int feature, double g, double h, int count)
    {
        var fb = _data.Features[feature];
        var bins = hist.AsSpan(_data.HistogramOffsets[feature] * 3, fb.BinCount * 3);
        return fb.IsCategorical
            ? FindCategorical(bins, g, h, count, _settings, _scratch[feature] ??= new Scratch(fb.BinCount))
            : FindNumeric(bins, g, h, count, _settings);
    }

    private static Found FindNumeric(ReadOnlySpan<double> bins, double g, double h, int count, GrowerSettings s)
    {
        var binCount = bins.Length / 3;
        var best = Candidate.None;
        var missingCount = (int)bins[2];
        var order = new Ascending(1);

        // Missing values right (pass 0), then, if there are any, left (pass 1): the better becomes the default direction.
        ScanPrefixes(bins, order, binCount - 2, 0, 0, 0, g, h, count, s.L2, s, minGroup: 0, pass: 0, ref best);
        if (missingCount > 0)
        {
            ScanPrefixes(bins, order, binCount - 2, bins[0], bins[1], missingCount, g, h, count, s.L2, s, minGroup: 0, pass: 1, ref best);
        }

        if (best.Index < 0)
        {
            return Found.None;
        }

        // With no missing values in training, send NaN where most rows went.
        var defaultLeft = missingCount == 0 ? best.Lc >= count - best.Lc : best.Pass == 1;
        return new Found(best, LeafScore(g, h, s.L2), order.At(best.Index), defaultLeft, LeftBinCount: 0);
    }

    // The left bins of the split found are left in scratch.Left[0 .. LeftBinCount), ascending.
    private static Found FindCategorical(ReadOnlySpan<double> bins, double g, double h, int count, GrowerSettings s, Scratch scratch)
    {
        var binCount = bins.Length / 3;
        var present = scratch.Bins;
        var presentCount = 0;
        for (var b = 1; b < binCount; b++)
        {
            if (bins[(b * 3) + 2] > 0)
            {
                present[presentCount++] = b;
            }
        }

        var parentScore = LeafScore(g, h, s.L2);
        if (presentCount <= s.MaxOneHotCategories)
        {
            var single = BestOneVsRest(bins, present, presentCount, g, h, count, s, out var only);
            if (single.Index < 0)
            {
                return Found.None;
            }

            scratch.Left[0] = only;
            return new Found(single, parentScore, 0, false, LeftBinCount: 1);
        }

        // The one-vs-rest candidates of a many-category feature, scored without the categorical penalty: one category
        // against the rest is a split of one one-hot column, the split a one-hot encoding gives any learner. The
        // many-vs-many split below must beat it, so a column with hundreds of levels, whose gradient-ordered prefixes
        // fit noise, falls back to what one-hot would do (issue 11: native splits lost to one-hot there).
        var fallbackLeft = -1;
        var fallback = s.CategoricalOneVsRestFallback
            ? BestOneVsRest(bins, present, presentCount, g, h, count, s, out fallbackLeft)
            : Candidate.None;

        // Order the frequent categories by smoothed mean gradient and scan prefixes from both ends (LightGBM's idea):
        // the best partition of an ordered set into two is a prefix for this loss. The eligible categories are the
        // present ones compacted in place (a subset, in the same order).
        var eligible = present;
        var keys = scratch.Keys;
        var eligibleCount = 0;
        for (var i = 0; i < presentCount; i++)
        {
            var b = present[i];
            if (bins[(b * 3) + 2] >= s.MinCountPerCategory)
            {
                keys[eligibleCount] = bins[b * 3] / (bins[(b * 3) + 1] + s.CategoricalSmoothing);
                eligible[eligibleCount++] = b;
            }
        }

        // Stable order: ties keep ascending bin order.
        Array.Sort(keys, eligible, 0, eligibleCount);
        SortTies(keys, eligible, eligibleCount);
        var length = Math.Min(Math.Min(s.MaxCategoricalThreshold, (eligibleCount + 1) / 2), eligibleCount);
        var regular = s.L2 + s.CategoricalL2;
        var found = Candidate.None;
        var minGroup = s.MinCountPerCategoryGroup;
        ScanPrefixes(bins, new Listed(eligible, eligibleCount, reverse: false), length, 0, 0, 0, g, h, count, regular, s, minGroup, pass: 0, ref found);
        ScanPrefixes(bins, new Listed(eligible, eligibleCount, reverse: true), length, 0, 0, 0, g, h, count, regular, s, minGroup, pass: 1, ref found);
        if (fallbackLeft >= 0 && fallback.Score > found.Score)
        {
            scratch.Left[0] = fallbackLeft;
            return new Found(fallback, parentScore, 0, false, LeftBinCount: 1);
        }

        if (found.Index < 0)
        {
            return Found.None;
        }

        var chosen = new Listed(eligible, eligibleCount, reverse: found.Pass == 1);
        var leftCount = found.Index + 1;
        for (var i = 0; i < leftCount; i++)
        {
            scratch.Left[i] = chosen.At(i);
        }

        Array.Sort(scratch.Left, 0, leftCount);
        return new Found(found, parentScore, 0, false, leftCount);
    }

    /// <summary>
    /// The one prefix scan: adds the bins <paramref name="order"/> lists, one at a time, to a left side that starts at
    /// (<paramref name="g0"/>, <paramref name="h0"/>, <paramref name="c0"/>), and keeps the best-scoring prefix that
    /// beats <paramref name="best"/> with both sides large enough.
    /// </summary>
    /// <remarks>
    /// With a positive <paramref name="minGroup"/> (categorical scans) a split point is only tried once at least that
    /// many rows were added since the last one tried, and the right side keeps at least that many: the categories
    /// move in groups, so a handful of rare categories whose mean gradient sorted them to the end cannot be split off
    /// on their own (LightGBM's <c>min_data_per_group</c>). Numeric scans pass 0: every bin boundary is tried.
    /// </remarks>
    private static void ScanPrefixes<TOrder>(
        ReadOnlySpan<double> bins, TOrder order, int length, double g0, double h0, int c0, double g, double h, int count, double regular, GrowerSettings s, int minGroup, int pass, ref Candidate best)
        where TOrder : struct, IBinOrder
    {
        var minLeaf = s.MinLeafCount;
        var minWeight = s.MinChildWeight;
        var lg = g0;
        var lh = h0;
        var lc = c0;
        var group = 0;
        for (var i = 0; i < length; i++)
        {
            var b = order.At(i) * 3;
            var c = (int)bins[b + 2];
            lg += bins[b];
            lh += bins[b + 1];
            lc += c;
            group += c;
            if (lc < minLeaf || lh < minWeight)
            {
                continue;
            }

            var rc = count - lc;
            var rh = h - lh;
            if (rc < minLeaf || rc < minGroup || rh < minWeight)
            {
                break;
            }

            if (group < minGroup)
            {
                continue;
            }

            group = 0;

            var rg = g - lg;
            var score = LeafScore(lg, lh, regular) + LeafScore(rg, rh, regular);
            if (score > best.Score)
            {
                best = new Candidate(score, i, pass, lg, lh, lc);
            }
        }
    }

    /// <summary>The best split of one present category against the rest (missing values and the other categories), scored with the plain L2 penalty.</summary>
    private static Candidate BestOneVsRest(ReadOnlySpan<double> bins, int[] present, int presentCount, double g, double h, int count, GrowerSettings s, out int left)
    {
        var best = Candidate.None;
        left = -1;
        for (var i = 0; i < presentCount; i++)
        {
            var b = present[i];
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
                left = b;
            }
        }

        return best;
    }

    private static double LeafScore(double g, double h, double regular) => g * g / (h + regular);

    private static void SortTies(double[] keys, int[] items, int length)
    {
        // Array.Sort is not stable; put equal keys back in ascending bin order so the result never depends on it.
        var i = 0;
        while (i < length)
        {
            var j = i + 1;
            while (j < length && keys[j] == keys[i])
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

    /// <summary>The first <c>length</c> bins of a buffer, from its start or from its end.</summary>
    private readonly struct Listed(int[] items, int length, bool reverse) : IBinOrder
    {
        public int At(int i) => reverse ? items[length - 1 - i] : items[i];
    }

    /// <summary>The best prefix so far: its score, position in the scan, which scan, and left-side sums.</summary>
    private readonly record struct Candidate(double Score, int Index, int Pass, double Lg, double Lh, int Lc)
    {
        public static Candidate None => new(double.NegativeInfinity, -1, 0, 0, 0, 0);
    }

    /// <summary>
    /// One feature's best split, without allocating: a categorical split's left bins stay in its feature's
    /// <see cref="Scratch.Left"/> until the split is chosen (<see cref="ToSplit"/> copies them).
    /// </summary>
    private readonly record struct Found(Candidate Best, double ParentScore, int Bin, bool DefaultLeft, int LeftBinCount)
    {
        public static Found None => new(Candidate.None, 0, 0, false, 0);

        public bool IsNone => Best.Index < 0;

        public double Gain => Best.Score - ParentScore;

        public SplitInfo ToSplit(int feature, double g, double h, int count, Scratch? scratch) => new()
        {
            Feature = feature,
            Gain = Gain,
            Bin = Bin,
            DefaultLeft = DefaultLeft,
            LeftBins = LeftBinCount > 0 ? scratch!.Left.AsSpan(0, LeftBinCount).ToArray() : null,
            LeftGradient = Best.Lg,
            LeftHessian = Best.Lh,
            LeftCount = Best.Lc,
            RightGradient = g - Best.Lg,
            RightHessian = h - Best.Lh,
            RightCount = count - Best.Lc,
        };
    }

    /// <summary>The reusable buffers of one categorical feature's search.</summary>
    private sealed class Scratch(int binCount)
    {
        /// <summary>The present categories, then the eligible ones compacted in place and sorted by key.</summary>
        public int[] Bins { get; } = new int[binCount];

        /// <summary>The sort keys (smoothed mean gradients) of the eligible categories.</summary>
        public double[] Keys { get; } = new double[binCount];

        /// <summary>The left bins of the feature's last split found, ascending.</summary>
        public int[] Left { get; } = new int[binCount];
    }
}
