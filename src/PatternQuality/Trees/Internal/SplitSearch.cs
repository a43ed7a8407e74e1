namespace PatternQuality.Trees.Internal;

/// <summary>
/// How a <see cref="TreeGrower"/> finds the best split of each new leaf: which features it searches and where their
/// histograms come from. Boosting searches every allowed feature with histogram subtraction
/// (<see cref="HistogramSubtractionSearch"/>); random forests draw features per split (<see cref="PerSplitSamplingSearch"/>).
/// </summary>
/// <remarks>Strategies hold no per-tree state, so growers on several threads may share one.</remarks>
internal abstract class SplitSearch
{
    /// <summary>Gets whether the strategy draws from the grower's split generator (which must then be given).</summary>
    public abstract bool NeedsRandom { get; }

    /// <summary>Sets the best split of leaf 0, which holds all the tree's rows.</summary>
    public abstract void Root(TreeGrower grower);

    /// <summary>Sets the best splits of <paramref name="left"/> and <paramref name="right"/>, just split from <paramref name="left"/>.</summary>
    public abstract void Children(TreeGrower grower, int left, int right);
}
