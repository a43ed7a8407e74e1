namespace PatternQuality.Trees.Internal;

/// <summary>The tree-shape settings the <see cref="TreeGrower"/> needs, shared by boosting and forests.</summary>
internal sealed class GrowerSettings
{
    public int MaxLeaves { get; init; } = 31;

    /// <summary>Gets the maximum depth; 0 means unlimited.</summary>
    public int MaxDepth { get; init; }

    public int MinLeafCount { get; init; } = 20;

    public double MinChildWeight { get; init; } = 1e-3;

    public double L2 { get; init; }

    public double MinGain { get; init; }

    public double CategoricalSmoothing { get; init; } = 10;

    public double CategoricalL2 { get; init; } = 10;

    public int MaxCategoricalThreshold { get; init; } = 32;

    public int MaxOneHotCategories { get; init; } = 4;

    public int MinCountPerCategory { get; init; } = 10;

    /// <summary>Gets the minimum rows between two split points of a many-vs-many categorical scan, and on its right side.</summary>
    public int MinCountPerCategoryGroup { get; init; }

    /// <summary>Gets whether a many-vs-many categorical feature also tries each category against the rest and keeps the better.</summary>
    public bool CategoricalOneVsRestFallback { get; init; }

    /// <summary>Gets the memory the grower's histogram buffers may take; leaves beyond it lose theirs (see <see cref="HistogramPool"/>).</summary>
    public int HistogramPoolBytes { get; init; } = HistogramPool.PoolBytes;
}
