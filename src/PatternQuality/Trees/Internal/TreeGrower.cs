namespace PatternQuality.Trees.Internal;

/// <summary>
/// Grows one tree best-first (leaf-wise) on binned data from per-row gradients and hessians: repeatedly splits the
/// open leaf with the largest gain until <see cref="GrowerSettings.MaxLeaves"/> leaves or no gain is left.
/// </summary>
/// <remarks>
/// The parts follow FastTree's seams: <see cref="LeafPartition"/> (rows per leaf), <see cref="HistogramPool"/> and
/// <see cref="HistogramBuilder"/> (per-leaf histograms), <see cref="SplitFinder"/> (best split from a histogram),
/// <see cref="SplitSearch"/> (which features, histograms from where) and <see cref="TreeBuilder"/> (the nodes).
/// Determinism: work is split across threads by feature only and combined in feature order, so the tree does not
/// depend on the thread count or on scheduling.
/// </remarks>
internal sealed class TreeGrower
{
    private readonly BinnedDataset _data;
    private readonly GrowerSettings _settings;
    private readonly SplitSearch _search;
    private readonly TreeBuilder _tree;
    private readonly SplitFinder _finder;
    private readonly int _maxLeaves;
    private readonly double[] _leafG;
    private readonly double[] _leafH;
    private readonly int[] _leafDepth;

    private float[] _grad = [];
    private float[] _hess = [];

    /// <param name="data">The binned training rows.</param>
    /// <param name="settings">The tree shape.</param>
    /// <param name="parallel">Threads for histograms and split search.</param>
    /// <param name="search">How leaves find their best split; null for boosting's (every allowed feature, histogram subtraction).</param>
    public TreeGrower(BinnedDataset data, GrowerSettings settings, ParallelOptions parallel, SplitSearch? search = null)
    {
        _data = data;
        _settings = settings;
        _maxLeaves = Math.Max(1, settings.MaxLeaves);
        _search = search ?? HistogramSubtractionSearch.Instance;
        _tree = new TreeBuilder(_maxLeaves);
        _finder = new SplitFinder(data, settings, parallel);
        Partition = new LeafPartition(data.RowCount, _maxLeaves);
        Pool = new HistogramPool(data.TotalBinCount, _maxLeaves, settings.HistogramPoolBytes);
        Histograms = new HistogramBuilder(data, parallel);
        Best = new SplitInfo?[_maxLeaves];
        _leafG = new double[_maxLeaves];
        _leafH = new double[_maxLeaves];
        _leafDepth = new int[_maxLeaves];
    }

    /// <summary>Gets the strategy that finds each leaf's best split.</summary>
    public SplitSearch Search => _search;

    internal LeafPartition Partition { get; }

    internal HistogramPool Pool { get; }

    internal HistogramBuilder Histograms { get; }

    /// <summary>Gets each open leaf's best split, or null when it will not be split.</summary>
    internal SplitInfo?[] Best { get; }

    /// <summary>Gets the features this tree may split on (splittable and allowed).</summary>
    internal bool[] AllowedFeatures { get; private set; } = [];

    /// <summary>Gets the generator per-split feature draws use (random forests).</summary>
    internal Random? SplitRandom { get; private set; }

    /// <summary>Grows a tree on <paramref name="rows"/> (ascending, distinct). Leaf values are Newton steps -G/(H+L2), unscaled.</summary>
    /// <param name="grad">Gradient per row of the whole dataset.</param>
    /// <param name="hess">Hessian per row of the whole dataset.</param>
    /// <param name="rows">The rows to grow on.</param>
    /// <param name="allowedFeatures">Features the tree may split on, or null for all.</param>
    /// <param name="splitRandom">Draws the features tried at each split when the search samples per split.</param>
    public RegressionTree Grow(float[] grad, float[] hess, ReadOnlySpan<int> rows, bool[]? allowedFeatures, Random? splitRandom)
    {
        if (_search.NeedsRandom && splitRandom is null)
        {
            throw new ArgumentNullException(nameof(splitRandom), "Per-split feature sampling needs a generator.");
        }

        _grad = grad;
        _hess = hess;
        SplitRandom = splitRandom;
        var allowed = new bool[_data.FeatureCount];
        for (var j = 0; j < allowed.Length; j++)
        {
            allowed[j] = _data.Features[j].IsSplittable && (allowedFeatures is null || allowedFeatures[j]);
        }

        AllowedFeatures = allowed;
        Partition.Reset(rows);
        double g = 0, h = 0;
        foreach (var r in rows)
        {
            g += grad[r];
            h += hess[r];
        }

        _leafG[0] = g;
        _leafH[0] = h;
        _leafDepth[0] = 0;
        _tree.Reset();
        Pool.ForgetLeaves();
        Array.Clear(Best);
        _search.Root(this);

        var leaves = 1;
        while (leaves < _maxLeaves && BestLeaf(leaves) is var best and >= 0)
        {
            Split(best, leaves);
            leaves++;
        }

        var values = new double[leaves];
        var weights = new double[leaves];
        var counts = new int[leaves];
        for (var l = 0; l < leaves; l++)
        {
            var denominator = _leafH[l] + _settings.L2;
            values[l] = denominator > 0 ? -_leafG[l] / denominator : 0;
            weights[l] = _leafH[l];
            counts[l] = Partition.Count(l);
            Pool.Release(l);
        }

        _grad = [];
        _hess = [];
        SplitRandom = null;
        return _tree.Build(values, weights, counts);
    }

    /// <summary>Gets whether a leaf is large and shallow enough to split.</summary>
    internal bool CanSplit(int leaf)
        => Partition.Count(leaf) >= 2 * _settings.MinLeafCount
        && (_settings.MaxDepth <= 0 || _leafDepth[leaf] < _settings.MaxDepth)
        && _leafH[leaf] >= 2 * _settings.MinChildWeight;

    /// <summary>Fills <paramref name="hist"/> from the rows of <paramref name="leaf"/> for the given features.</summary>
    internal void BuildHistogram(double[] hist, int leaf, bool[] features)
        => Histograms.Build(hist, Partition.Indices, Partition.Begin(leaf), Partition.Count(leaf), _grad, _hess, features);

    /// <summary>Returns the best split of <paramref name="leaf"/> from its histogram over the given features, or null.</summary>
    internal SplitInfo? FindBest(double[] hist, int leaf, bool[] features)
        => _finder.FindBest(hist, _leafG[leaf], _leafH[leaf], Partition.Count(leaf), features);

    private int BestLeaf(int leaves)
    {
        var best = -1;
        for (var l = 0; l < leaves; l++)
        {
            if (Best[l] is { } s && (best < 0 || s.Gain > Best[best]!.Gain))
            {
                best = l;
            }
        }

        return best;
    }

    private void Split(int leaf, int newLeaf)
    {
        var s = Best[leaf]!;
        var fb = _data.Features[s.Feature];
        var column = _data.Bins.AsSpan(s.Feature * _data.RowCount, _data.RowCount);
        Partition.Split(leaf, newLeaf, column, s.GoesLeft(fb.BinCount));
        _tree.AddSplit(leaf, newLeaf, s, fb);
        _leafDepth[leaf]++;
        _leafDepth[newLeaf] = _leafDepth[leaf];
        _leafG[leaf] = s.LeftGradient;
        _leafH[leaf] = s.LeftHessian;
        _leafG[newLeaf] = s.RightGradient;
        _leafH[newLeaf] = s.RightHessian;
        Best[leaf] = null;
        Best[newLeaf] = null;
        _search.Children(this, leaf, newLeaf);
    }
}
