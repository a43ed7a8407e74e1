using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PatternQuality.Trees.Internal;

/// <summary>
/// Every tree of an ensemble packed into shared arrays for scoring: 16-byte nodes (four per cache line), one leaf
/// value array, and each tree's root. Built once per model; read-only afterwards, so any number of threads may score.
/// </summary>
/// <remarks>
/// A node's <see cref="Node.Feature"/> holds the feature index in its low 24 bits, <see cref="CategoricalFlag"/> and
/// <see cref="DefaultLeftFlag"/>. Children and roots are global node indexes, or <c>~leaf</c> (global leaf index).
/// Indexes are checked when trees are built or loaded (see TreeEnsembleFormat), which is what makes the unchecked
/// reads below safe.
/// </remarks>
internal sealed class FlatEnsemble
{
    public const int FeatureMask = 0x00FF_FFFF;
    public const int CategoricalFlag = 1 << 30;
    public const int DefaultLeftFlag = 1 << 29;

    private readonly Node[] _nodes;
    private readonly int[] _categoryStart;
    private readonly int[] _categoryWords;
    private readonly uint[] _categoryBits;
    private readonly double[] _leafValues;
    private readonly int[] _roots;

    public FlatEnsemble(IReadOnlyList<RegressionTree> trees)
    {
        var nodeCount = trees.Sum(t => t.Nodes.Length);
        var leafCount = trees.Sum(t => t.LeafCount);
        _nodes = new Node[nodeCount];
        _categoryStart = new int[nodeCount];
        _categoryWords = new int[nodeCount];
        _leafValues = new double[leafCount];
        _roots = new int[trees.Count];
        var bits = new List<uint>();
        int nodeBase = 0, leafBase = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            int Map(int child) => child >= 0 ? child + nodeBase : ~(~child + leafBase);
            _roots[t] = tree.Nodes.Length == 0 ? ~leafBase : nodeBase;
            for (var i = 0; i < tree.Nodes.Length; i++)
            {
                var n = tree.Nodes[i];
                var feature = n.Feature;
                if (feature > FeatureMask)
                {
                    throw new NotSupportedException($"Feature index {feature} is beyond the {FeatureMask + 1} features a tree model supports.");
                }

                if (n.IsCategorical)
                {
                    feature |= CategoricalFlag;
                    _categoryStart[nodeBase + i] = bits.Count + n.CategoryStart;
                    _categoryWords[nodeBase + i] = n.CategoryWordCount;
                }

                if (n.DefaultLeft)
                {
                    feature |= DefaultLeftFlag;
                }

                _nodes[nodeBase + i] = new Node { Feature = feature, Threshold = n.Threshold, Left = Map(n.Left), Right = Map(n.Right) };
            }

            bits.AddRange(tree.CategoryBits);
            tree.LeafValues.CopyTo(_leafValues, leafBase);
            nodeBase += tree.Nodes.Length;
            leafBase += tree.LeafCount;
        }

        _categoryBits = bits.ToArray();
    }

    public int TreeCount => _roots.Length;

    /// <summary>Returns the sum of every tree's leaf value for one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum(ReadOnlySpan<float> x)
    {
        double sum = 0;
        var roots = _roots;
        for (var t = 0; t < roots.Length; t++)
        {
            sum += Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_leafValues), Leaf(x, roots[t]));
        }

        return sum;
    }

    /// <summary>Adds each row's leaf values to <paramref name="sums"/> (at most 64 rows).</summary>
    /// <remarks>
    /// Tree by tree, all rows step down one level at a time in lock-step: the rows' node loads are independent, so the
    /// CPU overlaps them instead of waiting on one row's chain of dependent loads, and the tree stays in cache.
    /// </remarks>
    public void AddTo(ReadOnlySpan<float> rows, int featureCount, Span<double> sums)
    {
        var count = sums.Length;
        Span<int> current = stackalloc int[64];
        current = current[..count];
        var roots = _roots;
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leafValues);
        for (var t = 0; t < roots.Length; t++)
        {
            current.Fill(roots[t]);
            var active = roots[t] >= 0;
            while (active)
            {
                active = false;
                for (var k = 0; k < count; k++)
                {
                    var i = current[k];
                    if (i >= 0)
                    {
                        i = Step(rows.Slice(k * featureCount, featureCount), i);
                        current[k] = i;
                        active |= i >= 0;
                    }
                }
            }

            for (var k = 0; k < count; k++)
            {
                sums[k] += Unsafe.Add(ref leaves, ~current[k]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Leaf(ReadOnlySpan<float> x, int i)
    {
        while (i >= 0)
        {
            i = Step(x, i);
        }

        return ~i;
    }

    /// <summary>Moves from node <paramref name="i"/> to the child the row goes to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Step(ReadOnlySpan<float> x, int i)
    {
        ref var n = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_nodes), i);
        var feature = n.Feature;
        var v = x[feature & FeatureMask];

        // Branch-free step: Right sits right after Left, so the comparison result picks the child. Which way a row
        // goes is unpredictable, and a mispredicted branch per node costs more than the rest of the step.
        int right;
        if ((feature & CategoricalFlag) == 0)
        {
            right = v <= n.Threshold ? 0 : 1;
            if (float.IsNaN(v))
            {
                right = (feature & DefaultLeftFlag) != 0 ? 0 : 1;
            }
        }
        else
        {
            right = InCategorySet(v, i) ? 0 : 1;
        }

        return Unsafe.Add(ref n.Left, right);
    }

    private bool InCategorySet(float v, int node)
    {
        var words = _categoryWords[node];
        if (!(v >= 0) || v >= words * 32)
        {
            return false;
        }

        var c = (int)v;
        return (_categoryBits[_categoryStart[node] + (c >> 5)] & (1u << (c & 31))) != 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public int Feature;
        public float Threshold;
        public int Left;
        public int Right;
    }
}
