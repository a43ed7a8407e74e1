namespace PatternQuality.Trees.Internal;

/// <summary>Records a growing tree's splits as <see cref="TreeNode"/>s (raw thresholds, category bitsets) and links each to its parent.</summary>
internal sealed class TreeBuilder
{
    private readonly List<TreeNode> _nodes = [];
    private readonly List<double> _gains = [];
    private readonly List<uint> _bits = [];
    private readonly int[] _leafParent;
    private readonly bool[] _leafIsLeft;

    public TreeBuilder(int maxLeaves)
    {
        _leafParent = new int[maxLeaves];
        _leafIsLeft = new bool[maxLeaves];
    }

    /// <summary>Starts a tree that is a single leaf.</summary>
    public void Reset()
    {
        _nodes.Clear();
        _gains.Clear();
        _bits.Clear();
        _leafParent[0] = -1;
    }

    /// <summary>Replaces leaf <paramref name="leaf"/> by a split node whose children are <paramref name="leaf"/> (left) and <paramref name="newLeaf"/> (right).</summary>
    public void AddSplit(int leaf, int newLeaf, SplitInfo s, FeatureBins bins)
    {
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
            // Bin c + 1 holds category c; the node stores the categories that go left as a bitset.
            var maxCategory = s.LeftBins.Max() - 1;
            var words = (maxCategory >> 5) + 1;
            node.CategoryStart = _bits.Count;
            node.CategoryWordCount = words;
            var set = new uint[words];
            foreach (var b in s.LeftBins)
            {
                var c = b - 1;
                set[c >> 5] |= 1u << (c & 31);
            }

            _bits.AddRange(set);
            node.Threshold = float.NaN;
        }
        else
        {
            node.Threshold = bins.UpperBound(s.Bin);
        }

        var index = _nodes.Count;
        _nodes.Add(node);
        _gains.Add(s.Gain);
        var parent = _leafParent[leaf];
        if (parent >= 0)
        {
            var p = _nodes[parent];
            if (_leafIsLeft[leaf])
            {
                p.Left = index;
            }
            else
            {
                p.Right = index;
            }

            _nodes[parent] = p;
        }

        _leafParent[leaf] = index;
        _leafIsLeft[leaf] = true;
        _leafParent[newLeaf] = index;
        _leafIsLeft[newLeaf] = false;
    }

    public RegressionTree Build(double[] leafValues, double[] leafWeights, int[] leafCounts)
        => new([.. _nodes], leafValues, [.. _bits], [.. _gains], leafWeights, leafCounts);
}
