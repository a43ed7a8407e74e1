using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using PatternQuality.Trees.Internal;

namespace PatternQuality.Benchmarks;

// The previous TreeSHAP of the library (the paper's Algorithm 2: extend and unwind a feature path per node and leaf),
// kept here only as the explain-latency benchmark's side-by-side reference; the library now computes the same values
// by quadrature (src/PatternQuality/Trees/Internal/TreeShap.cs).

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, Algorithm 2) over an ensemble's trees: per-row feature
/// contributions in the model's raw (margin) space that sum, with the bias, to the raw score.
/// </summary>
/// <remarks>
/// <para>
/// Built once per model from the trees' public shape (nodes, leaf values, leaf hessian sums), never from the scoring
/// layout, so a change to how trees are packed for scoring cannot change an explanation. A node's cover is the sum of
/// its leaves' training hessians (the same statistic XGBoost's <c>pred_contribs</c> uses); a subtree whose cover is 0
/// (possible only in hand-made or refitted models) is weighted evenly against its sibling, so there is never a 0/0.
/// </para>
/// <para>
/// Immutable after construction and thread-safe. One explanation rents one path buffer from the shared pool and
/// allocates nothing else. Everything is in <see langword="double"/>: contributions sum to the raw score to about 1e-12.
/// </para>
/// </remarks>
internal sealed class LegacyTreeShap
{
    private readonly ShapTree[] _trees;
    private readonly int _featureCount;
    private readonly int _classCount;
    private readonly double[] _bias;
    private readonly double _scale;
    private readonly int _pathBufferLength;

    public LegacyTreeShap(TreeEnsemble ensemble, int featureCount)
    {
        _featureCount = featureCount;
        _classCount = ensemble.Kind == EnsembleKind.BoostedMulticlass ? ensemble.ClassCount : 1;
        var trees = ensemble.Trees;
        _trees = new ShapTree[trees.Length];
        var maxDepth = 0;
        for (var t = 0; t < trees.Length; t++)
        {
            _trees[t] = new ShapTree(trees[t]);
            maxDepth = Math.Max(maxDepth, _trees[t].Depth);
        }

        // A forest's raw score is the mean of its trees (0.5 with no trees); boosting adds them.
        var forest = ensemble.Kind == EnsembleKind.Forest;
        _scale = forest && trees.Length > 0 ? 1.0 / trees.Length : 1.0;
        _bias = new double[_classCount];
        for (var c = 0; c < _classCount; c++)
        {
            _bias[c] = ensemble.BaseScores[c];
        }

        for (var t = 0; t < _trees.Length; t++)
        {
            _bias[t % _classCount] += _trees[t].ExpectedValue;
        }

        for (var c = 0; c < _classCount; c++)
        {
            _bias[c] = forest && trees.Length == 0 ? 0.5 : _bias[c] * _scale;
        }

        MaxDepth = maxDepth;

        // Each recursion level copies the path (at most depth + 2 elements) into its own slice.
        var d = maxDepth + 2;
        _pathBufferLength = d * (d + 1) / 2;
    }

    /// <summary>Gets the number of splits on the longest root-to-leaf path of any tree.</summary>
    public int MaxDepth { get; }

    /// <summary>Gets the number of features.</summary>
    public int FeatureCount => _featureCount;

    /// <summary>Gets the number of score columns (1, or the class count of a multiclass model).</summary>
    public int ClassCount => _classCount;

    /// <summary>Returns the expected raw score of a class over the training data (the bias term).</summary>
    public double Bias(int classIndex) => _bias[classIndex];

    /// <summary>
    /// Writes one row's contributions: for each class, <see cref="FeatureCount"/> feature contributions then the bias,
    /// so <paramref name="destination"/> holds <c>ClassCount * (FeatureCount + 1)</c> values.
    /// </summary>
    public void Explain(ReadOnlySpan<float> x, Span<double> destination)
    {
        var width = _featureCount + 1;
        destination.Clear();
        var rented = ArrayPool<PathElement>.Shared.Rent(_pathBufferLength);
        var scratch = ArrayPool<double>.Shared.Rent(MaxDepth + 2);
        try
        {
            for (var t = 0; t < _trees.Length; t++)
            {
                var tree = _trees[t];
                if (tree.Nodes.Length == 0)
                {
                    continue;
                }

                var phi = destination.Slice((t % _classCount) * width, _featureCount);
                tree.Recurse(x, phi, rented, scratch);
            }
        }
        finally
        {
            ArrayPool<PathElement>.Shared.Return(rented);
            ArrayPool<double>.Shared.Return(scratch);
        }

        for (var c = 0; c < _classCount; c++)
        {
            var row = destination.Slice(c * width, width);
            if (_scale != 1.0)
            {
                for (var j = 0; j < _featureCount; j++)
                {
                    row[j] *= _scale;
                }
            }

            row[_featureCount] = _bias[c];
        }
    }

    private static double[] BuildReciprocals(int count)
    {
        var r = new double[count];
        for (var i = 1; i < count; i++)
        {
            r[i] = 1.0 / i;
        }

        return r;
    }

    internal struct PathElement
    {
        public int Feature;
        public double ZeroFraction;
        public double OneFraction;
        public double Weight;
    }

    /// <summary>One tree in explanation layout: nodes with covers, leaves with values.</summary>
    internal sealed class ShapTree
    {
        /// <summary>1 / n for n up to the deepest path's length + 2 (entry 0 unused).</summary>
        private readonly double[] _reciprocals = [];

        public ShapTree(RegressionTree tree)
        {
            Nodes = tree.Nodes;
            CategoryBits = tree.CategoryBits;
            LeafValues = tree.LeafValues;
            Cover = new double[Nodes.Length];
            LeafCover = new double[tree.LeafCount];
            for (var l = 0; l < LeafCover.Length; l++)
            {
                var w = l < tree.LeafWeights.Length ? tree.LeafWeights[l] : 0;
                LeafCover[l] = double.IsFinite(w) && w > 0 ? w : 0;
            }

            if (Nodes.Length == 0)
            {
                ExpectedValue = LeafValues.Length > 0 ? LeafValues[0] : 0;
                return;
            }

            // Children always come after their parent is created but not necessarily in index order, so fill covers recursively.
            ExpectedValue = FillCover(0, 0, out var depth);
            Depth = depth;
            _reciprocals = BuildReciprocals(depth + 3);
        }

        public TreeNode[] Nodes { get; }

        public uint[] CategoryBits { get; }

        public double[] LeafValues { get; }

        /// <summary>Gets the training hessian sum under each node.</summary>
        public double[] Cover { get; }

        public double[] LeafCover { get; }

        /// <summary>Gets the cover-weighted mean leaf value: the tree's expected output.</summary>
        public double ExpectedValue { get; }

        /// <summary>Gets the number of splits on the longest root-to-leaf path.</summary>
        public int Depth { get; }

        public double ChildCover(int child) => child >= 0 ? Cover[child] : LeafCover[~child];

        /// <summary>The share of a node's cover that goes to one child (even split when the node has no cover).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Fraction(int node, int child)
        {
            var w = Cover[node];
            return w > 0 ? ChildCover(child) / w : 0.5;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool GoesLeft(ReadOnlySpan<float> x, int node)
        {
            ref readonly var n = ref Nodes[node];
            var v = x[n.Feature];
            if (n.CategoryStart < 0)
            {
                return v <= n.Threshold || (float.IsNaN(v) && n.DefaultLeft);
            }

            // Same rule as scoring: NaN, negatives and indexes beyond the bitset are not in the set and go right.
            if (!(v >= 0) || v >= n.CategoryWordCount * 32)
            {
                return false;
            }

            var c = (int)v;
            return (CategoryBits[n.CategoryStart + (c >> 5)] & (1u << (c & 31))) != 0;
        }

        /// <summary>Adds this tree's contributions for one row to <paramref name="phi"/>.</summary>
        public void Recurse(ReadOnlySpan<float> x, Span<double> phi, PathElement[] buffer, double[] scratch)
            => RecurseNode(0, x, phi, buffer, scratch, 0, 0, 1, 1, -1);

        /// <summary>
        /// Adds one leaf's share to every feature on its path. This is where the time goes (Algorithm 2's O(D^2) per
        /// leaf), so it departs from the textbook loop in two exact ways. A feature the row did not follow here (one
        /// fraction 0) has unwound sum (D + 1) / z * sum_i w_i / (D - i), so its contribution -z * that * v no longer
        /// depends on z: one O(D) sum serves them all. The features the row did follow share the same recurrence
        /// with a different z each, so four of them run at once in the lanes of a vector.
        /// </summary>
        private void AddLeaf(double value, ReadOnlySpan<PathElement> path, int depth, Span<double> phi, double[] scratch)
        {
            var reciprocal = _reciprocals;
            double scale = depth + 1;
            var inverseScale = reciprocal[depth + 1];
            var hot = 0;
            var coldShare = double.NaN;
            for (var k = 1; k <= depth; k++)
            {
                ref readonly var e = ref path[k];
                if (e.OneFraction != 0)
                {
                    scratch[hot++] = k;
                    continue;
                }

                if (e.ZeroFraction == 0)
                {
                    continue;
                }

                if (double.IsNaN(coldShare))
                {
                    double sum = 0;
                    for (var i = depth - 1; i >= 0; i--)
                    {
                        sum += path[i].Weight * reciprocal[depth - i];
                    }

                    coldShare = -scale * sum * value;
                }

                phi[e.Feature] += coldShare;
            }

            var c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Span<double> lanes = stackalloc double[4];
                for (; c + 4 <= hot; c += 4)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        lanes[j] = path[(int)scratch[c + j]].ZeroFraction * inverseScale;
                    }

                    var z = Vector256.Create<double>(lanes);
                    var next = Vector256.Create(path[depth].Weight);
                    var total = Vector256<double>.Zero;
                    for (var i = depth - 1; i >= 0; i--)
                    {
                        var tmp = next * (scale * reciprocal[i + 1]);
                        total += tmp;
                        next = Vector256.Create(path[i].Weight) - (tmp * z * (depth - i));
                    }

                    for (var j = 0; j < 4; j++)
                    {
                        ref readonly var e = ref path[(int)scratch[c + j]];
                        phi[e.Feature] += total.GetElement(j) * (1 - e.ZeroFraction) * value;
                    }
                }
            }

            for (; c < hot; c++)
            {
                ref readonly var e = ref path[(int)scratch[c]];
                phi[e.Feature] += UnwoundPathSum(path, depth, (int)scratch[c]) * (1 - e.ZeroFraction) * value;
            }
        }

        private void RecurseNode(
            int node,
            ReadOnlySpan<float> x,
            Span<double> phi,
            PathElement[] buffer,
            double[] scratch,
            int parentOffset,
            int uniqueDepth,
            double parentZero,
            double parentOne,
            int parentFeature)
        {
            // Each level works on its own copy of the path, right after the parent's.
            var offset = parentOffset + uniqueDepth;
            var path = buffer.AsSpan(offset, uniqueDepth + 1);
            if (uniqueDepth > 0)
            {
                buffer.AsSpan(parentOffset, uniqueDepth).CopyTo(path);
            }

            Extend(path, uniqueDepth, parentZero, parentOne, parentFeature);

            if (node < 0)
            {
                AddLeaf(LeafValues[~node], path, uniqueDepth, phi, scratch);
                return;
            }

            ref readonly var n = ref Nodes[node];
            var left = GoesLeft(x, node);
            var hot = left ? n.Left : n.Right;
            var cold = left ? n.Right : n.Left;
            var hotZero = Fraction(node, hot);
            var coldZero = Fraction(node, cold);
            double incomingZero = 1, incomingOne = 1;

            // A feature already on the path: undo its earlier split and redo it here with both fractions combined.
            var k = 1;
            for (; k <= uniqueDepth; k++)
            {
                if (path[k].Feature == n.Feature)
                {
                    break;
                }
            }

            if (k <= uniqueDepth)
            {
                incomingZero = path[k].ZeroFraction;
                incomingOne = path[k].OneFraction;
                Unwind(path, uniqueDepth, k);
                uniqueDepth--;
            }

            // The next level's path starts at offset + uniqueDepth + 1, past every element this level uses.
            RecurseNode(hot, x, phi, buffer, scratch, offset, uniqueDepth + 1, hotZero * incomingZero, incomingOne, n.Feature);

            // A cold child nobody reached adds exactly 0 (both its fractions are 0); skipping it also avoids 0/0 in Unwind.
            if (coldZero * incomingZero > 0)
            {
                RecurseNode(cold, x, phi, buffer, scratch, offset, uniqueDepth + 1, coldZero * incomingZero, 0, n.Feature);
            }
        }

        private static void Extend(Span<PathElement> path, int depth, double zero, double one, int feature)
        {
            path[depth] = new PathElement { Feature = feature, ZeroFraction = zero, OneFraction = one, Weight = depth == 0 ? 1 : 0 };
            var denominator = 1.0 / (depth + 1);
            for (var i = depth - 1; i >= 0; i--)
            {
                path[i + 1].Weight += one * path[i].Weight * (i + 1) * denominator;
                path[i].Weight = zero * path[i].Weight * (depth - i) * denominator;
            }
        }

        // In path-dependent TreeSHAP a one-fraction is a product of 0s and 1s, so it is exactly 0 or 1: the general
        // algorithm's divisions by it vanish, and the remaining divisions by small integers become table lookups.
        private void Unwind(Span<PathElement> path, int depth, int index)
        {
            var one = path[index].OneFraction;
            var zero = path[index].ZeroFraction;
            var next = path[depth].Weight;
            var reciprocal = _reciprocals;
            double scale = depth + 1;
            var inverseScale = reciprocal[depth + 1];
            if (one != 0)
            {
                for (var i = depth - 1; i >= 0; i--)
                {
                    var tmp = path[i].Weight;
                    var w = next * scale * reciprocal[i + 1];
                    path[i].Weight = w;
                    next = tmp - (w * zero * (depth - i) * inverseScale);
                }
            }
            else
            {
                var inverseZero = 1 / zero;
                for (var i = depth - 1; i >= 0; i--)
                {
                    path[i].Weight = path[i].Weight * scale * inverseZero * reciprocal[depth - i];
                }
            }

            for (var i = index; i < depth; i++)
            {
                path[i].Feature = path[i + 1].Feature;
                path[i].ZeroFraction = path[i + 1].ZeroFraction;
                path[i].OneFraction = path[i + 1].OneFraction;
            }
        }

        private double UnwoundPathSum(ReadOnlySpan<PathElement> path, int depth, int index)
        {
            var one = path[index].OneFraction;
            var zero = path[index].ZeroFraction;
            var reciprocal = _reciprocals;
            double scale = depth + 1;
            double total = 0;
            if (one != 0)
            {
                var next = path[depth].Weight;
                var zeroOverScale = zero * reciprocal[depth + 1];
                for (var i = depth - 1; i >= 0; i--)
                {
                    var tmp = next * scale * reciprocal[i + 1];
                    total += tmp;
                    next = path[i].Weight - (tmp * zeroOverScale * (depth - i));
                }
            }
            else if (zero != 0)
            {
                for (var i = depth - 1; i >= 0; i--)
                {
                    total += path[i].Weight * reciprocal[depth - i];
                }

                total *= scale / zero;
            }

            return total;
        }

        private double FillCover(int node, int depth, out int maxDepth)
        {
            // Returns the cover-weighted mean leaf value under the node and fills Cover on the way.
            ref readonly var n = ref Nodes[node];
            double leftMean, rightMean;
            int leftDepth, rightDepth;
            if (n.Left >= 0)
            {
                leftMean = FillCover(n.Left, depth + 1, out leftDepth);
            }
            else
            {
                leftMean = LeafValues[~n.Left];
                leftDepth = depth + 1;
            }

            if (n.Right >= 0)
            {
                rightMean = FillCover(n.Right, depth + 1, out rightDepth);
            }
            else
            {
                rightMean = LeafValues[~n.Right];
                rightDepth = depth + 1;
            }

            maxDepth = Math.Max(leftDepth, rightDepth);
            Cover[node] = ChildCover(n.Left) + ChildCover(n.Right);
            var fl = Fraction(node, n.Left);
            return (fl * leftMean) + ((1 - fl) * rightMean);
        }
    }
}
