namespace PatternQuality.Trees.Internal;

/// <summary>
/// A random forest's split search: each split draws <c>k</c> of all features (scikit-learn's max_features) and searches
/// the splittable, allowed ones among them. Histograms are built from rows for the drawn features only, so no leaf
/// keeps one (subtraction would need every feature).
/// </summary>
internal sealed class PerSplitSamplingSearch : SplitSearch
{
    private readonly int _featuresPerSplit;

    public PerSplitSamplingSearch(int featuresPerSplit) => _featuresPerSplit = featuresPerSplit;

    public override bool NeedsRandom => true;

    public override void Root(TreeGrower grower) => SetBest(grower, 0);

    public override void Children(TreeGrower grower, int left, int right)
    {
        SetBest(grower, left);
        SetBest(grower, right);
    }

    private void SetBest(TreeGrower grower, int leaf)
    {
        grower.Best[leaf] = null;
        if (!grower.CanSplit(leaf))
        {
            return;
        }

        var candidates = Draw(grower.AllowedFeatures, grower.SplitRandom!);
        var buffer = grower.Pool.Take(exceptLeaf: -1, grower.Best);
        grower.BuildHistogram(buffer, leaf, candidates);
        grower.Best[leaf] = grower.FindBest(buffer, leaf, candidates);
        grower.Pool.Return(buffer);
    }

    private bool[] Draw(bool[] allowed, Random random)
    {
        var order = new int[allowed.Length];
        for (var j = 0; j < order.Length; j++)
        {
            order[j] = j;
        }

        var candidates = new bool[allowed.Length];
        for (var j = 0; j < _featuresPerSplit; j++)
        {
            var k = random.Next(j, order.Length);
            (order[j], order[k]) = (order[k], order[j]);
            candidates[order[j]] = allowed[order[j]];
        }

        return candidates;
    }
}
