namespace PatternQuality.Trees.Internal;

/// <summary>
/// Grows one tree best-first (leaf-wise) on binned data from per-row gradients and hessians.
/// </summary>
/// <remarks>
/// Determinism: work is split across threads by feature only. Each feature's histogram and best split are computed by
/// one thread in row order, and the per-feature results are combined in feature order, so the tree does not depend
/// on the thread count or on scheduling.
/// Histograms: the smaller child is built from its rows and the larger one is the parent minus the smaller. Buffers
/// come from a bounded pool; when it is exhausted, the open leaf least likely to be split loses its histogram and
/// its children are later built from rows.
/// </remarks>
internal sealed class TreeGrower
{
    private const int PoolBytes = 32 << 20;
    private const int ParallelWorkThreshold = 16_384;

    private readonly BinnedDataset _data;
    private readonly GrowerSettings _s;
    private readonly ParallelOptions _parallel;
    private readonly bool _multiThreaded;
    private readonly int[] _indices;
    private readonly int[] _scratch;
    private readonly int _maxLeaves;
    private readonly int[] _leafBegin;
    private readonly int[] _leafCount;
    private readonly double[] _leafG;
    private readonly double[] _leafH;
    private readonly int[] _leafDepth;
    private readonly int[] _leafParent;
    private readonly bool[] _leafIsLeft;
    private readonly double[]?[] _leafHist;
    private readonly SplitInfo?[] _leafBest;
    private readonly Stack<double[]> _free = new();
    private readonly int _poolCapacity;
    private readonly SplitInfo?[] _perFeature;
    private int _allocated;

    private float[] _grad = [];
    private float[] _hess = [];
    private bool[] _histogramFeatures = [];
    private Random? _splitRandom;

    public TreeGrower(BinnedDataset data, GrowerSettings settings, ParallelOptions parallel)
    {
        _data = data;
        _s = settings;
        _parallel = parallel;
        _multiThreaded = parallel.MaxDegreeOfParallelism != 1;
        _indices = new int[data.RowCount];
        _scratch = new int[data.RowCount];
        _maxLeaves = Math.Max(1, settings.MaxLeaves);
        _leafBegin = new int[_maxLeaves];
        _leafCount = new int[_maxLeaves];
        _leafG = new double[_maxLeaves];
        _leafH = new double[_maxLeaves];
        _leafDepth = new int[_maxLeaves];
        _leafParent = new int[_maxLeaves];
        _leafIsLeft = new bool[_maxLeaves];
        _leafHist = new double[_maxLeaves][];
        _leafBest = new SplitInfo[_maxLeaves];
        _perFeature = new SplitInfo[data.FeatureCount];
        var bufferBytes = Math.Max(1L, (long)data.TotalBinCount * 3 * sizeof(double));
        _poolCapacity = (int)Math.Clamp(PoolBytes / bufferBytes, 3, _maxLeaves + 1);
    }

    /// <summary>Grows a tree on <paramref name="rows"/> (ascending, distinct). Leaf values are Newton steps -G/(H+L2), unscaled.</summary>
    /// <param name="grad">Gradient per row of the whole dataset.</param>
    /// <param name="hess">Hessian per row of the whole dataset.</param>
    /// <param name="rows">The rows to grow on.</param>
    /// <param name="allowedFeatures">Features the tree may split on, or null for all.</param>
    /// <param name="splitRandom">Draws the features tried at each split when <see cref="GrowerSettings.FeaturesPerSplit"/> is set.</param>
    public RegressionTree Grow(float[] grad, float[] hess, ReadOnlySpan<int> rows, bool[]? allowedFeatures, Random? splitRandom)
    {
        _grad = grad;
        _hess = hess;
        _splitRandom = splitRandom;
        _histogramFeatures = new bool[_data.FeatureCount];
        for (var j = 0; j < _data.FeatureCount; j++)
        {
            _histogramFeatures[j] = _data.Features[j].IsSplittable && (allowedFeatures is null || allowedFeatures[j]);
        }

        rows.CopyTo(_indices);
        var count = rows.Length;
        double g = 0, h = 0;
        foreach (var r in rows)
        {
            g += grad[r];
            h += hess[r];
        }

        var nodes = new List<TreeNode>();
        var gains = new List<double>();
        var bits = new List<uint>();
        var leaves = 1;
        _leafBegin[0] = 0;
        _leafCount[0] = count;
        _leafG[0] = g;
        _leafH[0] = h;
        _leafDepth[0] = 0;
        _leafParent[0] = -1;
        Array.Clear(_leafHist);
        Array.Clear(_leafBest);
        if (PerSplitSampling)
        {
            SetBest(0);
        }
        else if (CanSplit(0))
        {
            var root = TakeBuffer(exceptLeaf: -1);
            BuildHistogram(root, 0, count, _histogramFeatures);
            _leafHist[0] = root;
            SetBest(0);
        }

        while (leaves < _maxLeaves)
        {
            var best = -1;
            for (var l = 0; l < leaves; l++)
            {
                if (_leafBest[l] is { } s && (best < 0 || s.Gain > _leafBest[best]!.Gain))
                {
                    best = l;
                }
            }

            if (best < 0)
            {
                break;
            }

            Split(best, leaves, nodes, gains, bits);
            leaves++;
        }

        var values = new double[leaves];
        var weights = new double[leaves];
        var counts = new int[leaves];
        for (var l = 0; l < leaves; l++)
        {
            values[l] = LeafOutput(_leafG[l], _leafH[l]);
            weights[l] = _leafH[l];
            counts[l] = _leafCount[l];
            Release(l);
        }

        _grad = [];
        _hess = [];
        return new RegressionTree(nodes.ToArray(), values, bits.ToArray(), gains.ToArray(), weights, counts);
    }

    private double LeafOutput(double g, double h)
    {
        var denominator = h + _s.L2;
        return denominator > 0 ? -g / denominator : 0;
    }

    private bool CanSplit(int leaf)
        => _leafCount[leaf] >= 2 * _s.MinLeafCount
        && (_s.MaxDepth <= 0 || _leafDepth[leaf] < _s.MaxDepth)
        && _leafH[leaf] >= 2 * _s.MinChildWeight;

    private void SetBest(int leaf)
    {
        if (PerSplitSampling)
        {
            // Forest mode: histograms only for the features drawn for this split, built from rows; no subtraction.
            _leafBest[leaf] = null;
            if (CanSplit(leaf))
            {
                var candidates = DrawFeatures();
                var buffer = TakeBuffer(exceptLeaf: -1);
                BuildHistogram(buffer, _leafBegin[leaf], _leafCount[leaf], candidates);
                _leafHist[leaf] = buffer;
                _leafBest[leaf] = FindBestSplit(leaf, candidates);
                Release(leaf);
            }

            return;
        }

        var best = CanSplit(leaf) ? FindBestSplit(leaf, _histogramFeatures) : null;
        _leafBest[leaf] = best;
        if (best is null)
        {
            Release(leaf);
        }
    }

    private void Release(int leaf)
    {
        if (_leafHist[leaf] is { } buffer)
        {
            _free.Push(buffer);
            _leafHist[leaf] = null;
        }
    }

    private double[] TakeBuffer(int exceptLeaf)
    {
        if (_free.Count > 0)
        {
            return _free.Pop();
        }

        if (_allocated < _poolCapacity)
        {
            _allocated++;
            return new double[_data.TotalBinCount * 3];
        }

        // Evict the open leaf with the smallest pending gain (the last to be split); ties go to the highest index.
        var victim = -1;
        for (var l = 0; l < _maxLeaves; l++)
        {
            if (l != exceptLeaf && _leafHist[l] is not null
                && (victim < 0 || (_leafBest[l]?.Gain ?? double.NegativeInfinity) <= (_leafBest[victim]?.Gain ?? double.NegativeInfinity)))
            {
                victim = l;
            }
        }

        var buffer = _leafHist[victim]!;
        _leafHist[victim] = null;
        return buffer;
    }

    private void Split(int leaf, int newLeaf, List<TreeNode> nodes, List<double> gains, List<uint> bits)
    {
        var s = _leafBest[leaf]!;
        var fb = _data.Features[s.Feature];
        var begin = _leafBegin[leaf];
        var count = _leafCount[leaf];
        var column = _data.Bins.AsSpan(s.Feature * _data.RowCount, _data.RowCount);

        bool[]? leftBins = null;
        if (s.LeftBins is not null)
        {
            leftBins = new bool[fb.BinCount];
            foreach (var b in s.LeftBins)
            {
                leftBins[b] = true;
            }
        }

        var nl = 0;
        var nr = 0;
        for (var i = begin; i < begin + count; i++)
        {
            var r = _indices[i];
            int b = column[r];
            var left = leftBins is not null ? leftBins[b] : (b == 0 ? s.DefaultLeft : b <= s.Bin);
            if (left)
            {
                _indices[begin + nl++] = r;
            }
            else
            {
                _scratch[nr++] = r;
            }
        }

        Array.Copy(_scratch, 0, _indices, begin + nl, nr);

        var node = new TreeNode
        {
            Feature = s.Feature,
            Left = ~leaf,
            Right = ~newLeaf,
            DefaultLeft = s.DefaultLeft,
            CategoryStart = -1,
        };
        if (s.LeftBins is not null)
        {
            var maxCategory = s.LeftBins.Max() - 1;
            var words = (maxCategory >> 5) + 1;
            node.CategoryStart = bits.Count;
            node.CategoryWordCount = words;
            var set = new uint[words];
            foreach (var b in s.LeftBins)
            {
                var c = b - 1;
                set[c >> 5] |= 1u << (c & 31);
            }

            bits.AddRange(set);
            node.Threshold = float.NaN;
        }
        else
        {
            node.Threshold = fb.UpperBound(s.Bin);
        }

        var index = nodes.Count;
        nodes.Add(node);
        gains.Add(s.Gain);
        var parent = _leafParent[leaf];
        if (parent >= 0)
        {
            var p = nodes[parent];
            if (_leafIsLeft[leaf])
            {
                p.Left = index;
            }
            else
            {
                p.Right = index;
            }

            nodes[parent] = p;
        }

        var depth = _leafDepth[leaf] + 1;
        _leafParent[leaf] = index;
        _leafIsLeft[leaf] = true;
        _leafParent[newLeaf] = index;
        _leafIsLeft[newLeaf] = false;
        _leafDepth[leaf] = depth;
        _leafDepth[newLeaf] = depth;
        _leafBegin[newLeaf] = begin + nl;
        _leafCount[leaf] = nl;
        _leafCount[newLeaf] = nr;
        _leafG[leaf] = s.LeftGradient;
        _leafH[leaf] = s.LeftHessian;
        _leafG[newLeaf] = s.RightGradient;
        _leafH[newLeaf] = s.RightHessian;
        _leafBest[leaf] = null;
        _leafBest[newLeaf] = null;

        if (PerSplitSampling)
        {
            SetBest(leaf);
            SetBest(newLeaf);
            return;
        }

        var leftOpen = CanSplit(leaf);
        var rightOpen = CanSplit(newLeaf);
        var parentHist = _leafHist[leaf];
        _leafHist[leaf] = null;
        if (leftOpen || rightOpen)
        {
            var smallIsLeft = nl <= nr;
            var small = smallIsLeft ? leaf : newLeaf;
            var large = smallIsLeft ? newLeaf : leaf;
            var smallBuffer = TakeBuffer(exceptLeaf: -1);
            BuildHistogram(smallBuffer, _leafBegin[small], _leafCount[small], _histogramFeatures);
            double[] largeBuffer;
            if (parentHist is not null)
            {
                Subtract(parentHist, smallBuffer);
                largeBuffer = parentHist;
            }
            else
            {
                _leafHist[small] = smallBuffer;
                largeBuffer = TakeBuffer(exceptLeaf: small);
                BuildHistogram(largeBuffer, _leafBegin[large], _leafCount[large], _histogramFeatures);
            }

            _leafHist[small] = smallBuffer;
            _leafHist[large] = largeBuffer;
        }
        else if (parentHist is not null)
        {
            _free.Push(parentHist);
        }

        SetBest(leaf);
        SetBest(newLeaf);
    }

    private void Subtract(double[] parent, double[] child)
    {
        var features = _histogramFeatures;
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

    private bool PerSplitSampling => _s.FeaturesPerSplit > 0 && _splitRandom is not null && _s.FeaturesPerSplit < _data.FeatureCount;

    private void BuildHistogram(double[] hist, int begin, int count, bool[] features)
    {
        if (_multiThreaded && (long)count * _data.FeatureCount >= ParallelWorkThreshold)
        {
            Parallel.For(0, _data.FeatureCount, _parallel, j => BuildFeatureHistogram(hist, j, begin, count, features));
        }
        else
        {
            for (var j = 0; j < _data.FeatureCount; j++)
            {
                BuildFeatureHistogram(hist, j, begin, count, features);
            }
        }
    }

    private void BuildFeatureHistogram(double[] hist, int feature, int begin, int count, bool[] features)
    {
        if (!features[feature])
        {
            return;
        }

        var offset = _data.HistogramOffsets[feature] * 3;
        var h = hist.AsSpan(offset, (_data.HistogramOffsets[feature + 1] - _data.HistogramOffsets[feature]) * 3);
        h.Clear();
        var column = _data.Bins.AsSpan(feature * _data.RowCount, _data.RowCount);
        var rows = _indices.AsSpan(begin, count);
        var grad = _grad;
        var hess = _hess;
        foreach (var r in rows)
        {
            var b = column[r] * 3;
            h[b] += grad[r];
            h[b + 1] += hess[r];
            h[b + 2] += 1;
        }
    }

    private bool[] DrawFeatures()
    {
        // Draw k of all features (as scikit-learn's max_features), keeping only splittable ones.
        var order = new int[_data.FeatureCount];
        for (var j = 0; j < order.Length; j++)
        {
            order[j] = j;
        }

        var candidates = new bool[_data.FeatureCount];
        for (var j = 0; j < _s.FeaturesPerSplit; j++)
        {
            var k = _splitRandom!.Next(j, order.Length);
            (order[j], order[k]) = (order[k], order[j]);
            candidates[order[j]] = _histogramFeatures[order[j]];
        }

        return candidates;
    }

    private SplitInfo? FindBestSplit(int leaf, bool[] candidates)
    {
        var hist = _leafHist[leaf]!;
        var results = _perFeature;
        Array.Clear(results);
        var g = _leafG[leaf];
        var h = _leafH[leaf];
        var c = _leafCount[leaf];
        if (_multiThreaded && _data.TotalBinCount >= 2048)
        {
            Parallel.For(0, _data.FeatureCount, _parallel, j =>
            {
                if (candidates[j])
                {
                    results[j] = FindFeatureSplit(hist, j, g, h, c);
                }
            });
        }
        else
        {
            for (var j = 0; j < _data.FeatureCount; j++)
            {
                if (candidates[j])
                {
                    results[j] = FindFeatureSplit(hist, j, g, h, c);
                }
            }
        }

        SplitInfo? best = null;
        foreach (var s in results)
        {
            if (s is not null && s.Gain > _s.MinGain && (best is null || s.Gain > best.Gain))
            {
                best = s;
            }
        }

        return best;
    }

    private SplitInfo? FindFeatureSplit(double[] hist, int feature, double g, double h, int count)
    {
        var offset = _data.HistogramOffsets[feature] * 3;
        var fb = _data.Features[feature];
        var bins = hist.AsSpan(offset, fb.BinCount * 3);
        return fb.IsCategorical
            ? FindCategoricalSplit(bins, fb.BinCount, feature, g, h, count)
            : FindNumericSplit(bins, fb.BinCount, feature, g, h, count);
    }

    private SplitInfo? FindNumericSplit(ReadOnlySpan<double> bins, int binCount, int feature, double g, double h, int count)
    {
        var l2 = _s.L2;
        var minLeaf = _s.MinLeafCount;
        var minWeight = _s.MinChildWeight;
        var parentScore = g * g / (h + l2);
        var bestScore = double.NegativeInfinity;
        var bestBin = -1;
        var bestDefaultLeft = false;
        double bestLg = 0, bestLh = 0;
        var bestLc = 0;
        var missingCount = (int)bins[2];
        for (var pass = 0; pass < (missingCount > 0 ? 2 : 1); pass++)
        {
            var missingLeft = pass == 1;
            double lg = missingLeft ? bins[0] : 0;
            double lh = missingLeft ? bins[1] : 0;
            var lc = missingLeft ? missingCount : 0;
            for (var b = 1; b < binCount - 1; b++)
            {
                lg += bins[(b * 3) + 0];
                lh += bins[(b * 3) + 1];
                lc += (int)bins[(b * 3) + 2];
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
                var score = (lg * lg / (lh + l2)) + (rg * rg / (rh + l2));
                if (score > bestScore)
                {
                    bestScore = score;
                    bestBin = b;
                    bestDefaultLeft = missingLeft;
                    bestLg = lg;
                    bestLh = lh;
                    bestLc = lc;
                }
            }
        }

        if (bestBin < 0)
        {
            return null;
        }

        // With no missing values in training, send NaN where most rows went.
        if (missingCount == 0)
        {
            bestDefaultLeft = bestLc >= count - bestLc;
        }

        return new SplitInfo
        {
            Feature = feature,
            Gain = bestScore - parentScore,
            Bin = bestBin,
            DefaultLeft = bestDefaultLeft,
            LeftGradient = bestLg,
            LeftHessian = bestLh,
            LeftCount = bestLc,
            RightGradient = g - bestLg,
            RightHessian = h - bestLh,
            RightCount = count - bestLc,
        };
    }

    private SplitInfo? FindCategoricalSplit(ReadOnlySpan<double> bins, int binCount, int feature, double g, double h, int count)
    {
        var l2 = _s.L2;
        var minLeaf = _s.MinLeafCount;
        var minWeight = _s.MinChildWeight;
        var parentScore = g * g / (h + l2);
        var present = new List<int>();
        for (var b = 1; b < binCount; b++)
        {
            if (bins[(b * 3) + 2] > 0)
            {
                present.Add(b);
            }
        }

        var bestScore = double.NegativeInfinity;
        int[]? bestLeft = null;
        double bestLg = 0, bestLh = 0;
        var bestLc = 0;

        void Consider(double score, double lg, double lh, int lc, ReadOnlySpan<int> left)
        {
            if (score > bestScore)
            {
                bestScore = score;
                bestLeft = left.ToArray();
                bestLg = lg;
                bestLh = lh;
                bestLc = lc;
            }
        }

        if (present.Count <= _s.MaxOneHotCategories)
        {
            // One category against the rest (the rest includes missing values).
            foreach (var b in present)
            {
                double lg = bins[b * 3], lh = bins[(b * 3) + 1];
                var lc = (int)bins[(b * 3) + 2];
                double rg = g - lg, rh = h - lh;
                var rc = count - lc;
                if (lc < minLeaf || rc < minLeaf || lh < minWeight || rh < minWeight)
                {
                    continue;
                }

                Consider((lg * lg / (lh + l2)) + (rg * rg / (rh + l2)), lg, lh, lc, [b]);
            }
        }
        else
        {
            // Order the frequent categories by smoothed mean gradient and scan prefixes from both ends (LightGBM's idea):
            // the best partition of an ordered set into two is a prefix for this loss.
            var smooth = _s.CategoricalSmoothing;
            var eligibleList = new List<int>();
            var keys = new List<double>();
            foreach (var b in present)
            {
                if (bins[(b * 3) + 2] >= _s.MinCountPerCategory)
                {
                    eligibleList.Add(b);
                    keys.Add(bins[b * 3] / (bins[(b * 3) + 1] + smooth));
                }
            }

            var eligible = eligibleList.ToArray();
            var sortKeys = keys.ToArray();

            // Stable order: ties keep ascending bin order.
            Array.Sort(sortKeys, eligible);
            SortTies(sortKeys, eligible);
            var maxLeft = Math.Min(_s.MaxCategoricalThreshold, (eligible.Length + 1) / 2);
            var regular = l2 + _s.CategoricalL2;
            for (var direction = 0; direction < 2; direction++)
            {
                double lg = 0, lh = 0;
                var lc = 0;
                var left = new int[Math.Min(maxLeft, eligible.Length)];
                for (var i = 0; i < left.Length; i++)
                {
                    var b = direction == 0 ? eligible[i] : eligible[eligible.Length - 1 - i];
                    left[i] = b;
                    lg += bins[b * 3];
                    lh += bins[(b * 3) + 1];
                    lc += (int)bins[(b * 3) + 2];
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
                    Consider((lg * lg / (lh + regular)) + (rg * rg / (rh + regular)), lg, lh, lc, left.AsSpan(0, i + 1));
                }
            }
        }

        if (bestLeft is null)
        {
            return null;
        }

        Array.Sort(bestLeft);
        return new SplitInfo
        {
            Feature = feature,
            Gain = bestScore - parentScore,
            LeftBins = bestLeft,
            LeftGradient = bestLg,
            LeftHessian = bestLh,
            LeftCount = bestLc,
            RightGradient = g - bestLg,
            RightHessian = h - bestLh,
            RightCount = count - bestLc,
        };
    }

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
}
