namespace PatternQuality.Trees.Internal;

/// <summary>An immutable decision tree over raw feature values: flat node array, leaf values, categorical bitsets.</summary>
internal sealed class RegressionTree
{
    public RegressionTree(TreeNode[] nodes, double[] leafValues, uint[] categoryBits, double[] splitGains, double[] leafWeights, int[] leafCounts)
    {
        Nodes = nodes;
        LeafValues = leafValues;
        CategoryBits = categoryBits;
        SplitGains = splitGains;
        LeafWeights = leafWeights;
        LeafCounts = leafCounts;
    }

    public TreeNode[] Nodes { get; }

    public double[] LeafValues { get; }

    public uint[] CategoryBits { get; }

    /// <summary>Gets the loss reduction of each split (for feature importance).</summary>
    public double[] SplitGains { get; }

    /// <summary>Gets the training hessian sum of each leaf.</summary>
    public double[] LeafWeights { get; }

    /// <summary>Gets the training row count of each leaf.</summary>
    public int[] LeafCounts { get; }

    public int LeafCount => LeafValues.Length;

    /// <summary>Returns the index of the leaf a vector falls in.</summary>
    public int GetLeaf(ReadOnlySpan<float> x)
    {
        var nodes = Nodes;
        if (nodes.Length == 0)
        {
            return 0;
        }

        var i = 0;
        do
        {
            ref readonly var n = ref nodes[i];
            var v = x[n.Feature];
            bool left;
            if (n.CategoryStart < 0)
            {
                left = v <= n.Threshold || (float.IsNaN(v) && n.DefaultLeft);
            }
            else
            {
                left = InCategorySet(v, n.CategoryStart, n.CategoryWordCount);
            }

            i = left ? n.Left : n.Right;
        }
        while (i >= 0);

        return ~i;
    }

    public double Predict(ReadOnlySpan<float> x) => LeafValues[GetLeaf(x)];

    public RegressionTree WithLeafValues(double[] leafValues) => new(Nodes, leafValues, CategoryBits, SplitGains, LeafWeights, LeafCounts);

    private bool InCategorySet(float v, int start, int words)
    {
        // NaN and negatives fail the range check; fractional indexes truncate as at training time.
        if (!(v >= 0) || v >= words * 32)
        {
            return false;
        }

        var c = (int)v;
        return (CategoryBits[start + (c >> 5)] & (1u << (c & 31))) != 0;
    }
}
