using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PatternQuality.Trees.Internal;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018) over an ensemble's trees: per-row feature
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
/// The values are those of Algorithm 2 of the paper, computed another way. For a leaf with value v whose path holds
/// the distinct features j, each with a cover fraction z_j (the product over its splits on the path, fixed by the
/// model) and a one-fraction o_j (1 if the row follows all of them, else 0), the Shapley weights sum to a Beta
/// integral: feature i gets v (o_i - z_i) times the integral over [0, 1] of prod_{j != i} (z_j + (o_j - z_j) y) dy.
/// The integrand is a polynomial of degree below the tree's depth, so Gauss-Legendre quadrature with
/// ceil(depth / 2) points is exact. The products are carried down the tree one factor per split, and every factor
/// is positive, so nothing cancels: the only rounding is in products and one sum. Unlike Algorithm 2's extend and
/// unwind recurrences (a chain of dependent operations per step), each step is independent across the quadrature
/// points, four at a time in a vector, and each split takes its share of all the leaves below it with one dot product;
/// explaining one row of a 100-tree, 31-leaf model takes about 2.5 times less (docs/explanations.md).
/// </para>
/// <para>
/// Immutable after construction and thread-safe. One explanation rents two work buffers from the shared pools and
/// allocates nothing else. Everything is in <see langword="double"/>: contributions sum to the raw score to about 1e-12.
/// </para>
/// </remarks>
internal sealed class TreeShap
{
    private readonly ShapTree[] _trees;
    private readonly int _featureCount;
    private readonly int _classCount;
    private readonly double[] _bias;
    private readonly double _scale;
    private readonly int _workLength;
    private readonly int _indexLength;

    /// <param name="ensemble">The trees.</param>
    /// <param name="featureCount">The number of features.</param>
    /// <param name="packed">
    /// Whether trees that need at most 16 quadrature points use the unrolled fixed-width code; <see langword="false"/>
    /// (tests only) runs every tree through the general loop, which must give the same values.
    /// </param>
    /// <param name="wide">
    /// Whether the unrolled code uses 512-bit vectors; by default where the processor has them (tests set it to run both).
    /// </param>
    public TreeShap(TreeEnsemble ensemble, int featureCount, bool packed = true, bool? wide = null)
    {
        _featureCount = featureCount;
        _classCount = ensemble.Kind == EnsembleKind.BoostedMulticlass ? ensemble.ClassCount : 1;
        var trees = ensemble.Trees;
        _trees = new ShapTree[trees.Length];
        var maxDepth = 0;
        for (var t = 0; t < trees.Length; t++)
        {
            _trees[t] = new ShapTree(trees[t], packed, wide ?? Vector512.IsHardwareAccelerated);
            maxDepth = Math.Max(maxDepth, _trees[t].Depth);
            _workLength = Math.Max(_workLength, _trees[t].WorkLength);
            _indexLength = Math.Max(_indexLength, _trees[t].IndexLength);
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
    }

    /// <summary>Gets the number of splits on the longest root-to-leaf path of any tree.</summary>
    public int MaxDepth { get; }

    /// <summary>Gets the number of features.</summary>
    public int FeatureCount => _featureCount;

    /// <summary>Gets, per tree, the width of the unrolled code that explains it (4, 8 or 16), or 0 for the general loop.</summary>
    internal IEnumerable<int> PackedWidths => _trees.Select(t => t.PackedWidth);

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
        var work = ArrayPool<double>.Shared.Rent(_workLength);
        var index = ArrayPool<int>.Shared.Rent(_indexLength + _featureCount);
        var liveSlot = index.AsSpan(_indexLength, _featureCount);
        liveSlot.Fill(-1);
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
                tree.Explain(x, phi, work, index, liveSlot);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(work);
            ArrayPool<int>.Shared.Return(index);
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

    /// <summary>One tree in explanation layout: nodes, leaves with values, and every factor the quadrature can need.</summary>
    internal sealed class ShapTree
    {
        /// <summary>
        /// Per node and side (node * 2 + side, side 0 = left), the cover fraction of the child's feature over the path
        /// down to that child: the product of the fractions of every split on that feature from the root. It depends on
        /// the tree only, so (with o in {0, 1}) so do the factors below.
        /// </summary>
        private readonly double[] _zero = [];

        /// <summary>
        /// Per node, side and o in {0, 1}: the factor z + (o - z) y at each quadrature point, then its reciprocal
        /// (0 where the factor is 0, a child that is never visited). Computed once, so an explanation never divides.
        /// </summary>
        private readonly double[] _factors = [];

        /// <summary>Quadrature weights, padded with zeros to whole vectors.</summary>
        private readonly double[] _weights = [];

        // Stride of every vector: the point count padded to a multiple of 4 (to 4, 8 or 16 when packed).
        private readonly int _width;

        // The width of the unrolled code that explains this tree (4, 8 or 16), or 0 for the general loop.
        private readonly int _packed;

        // Whether widths 8 and 16 use 512-bit vectors (one or two per pack) rather than pairs of 256-bit ones.
        private readonly bool _wide;

        // Work buffer: the running product and the leaf sum per level (Depth + 1 levels each), then per split slot the
        // sum its feature must not be credited with (leaves under a later split on that feature).
        private readonly int _sumStart;
        private readonly int _excludedStart;

        public ShapTree(RegressionTree tree, bool packed = true, bool wide = false)
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

            _zero = new double[Nodes.Length * 2];
            var distinct = FillZero(0, new Dictionary<int, double>());

            // A leaf's integrand has degree (distinct features on its path) - 1; n points are exact up to degree 2n - 1.
            var count = Math.Max(1, (distinct + 1) / 2);
            _width = (count + 3) / 4 * 4;
            if (packed && count <= 16)
            {
                // Padded to a width the unrolled code has (padding points weigh 0); most trees need 4 or 8.
                _width = count <= 4 ? 4 : count <= 8 ? 8 : 16;
                _packed = _width;
                _wide = wide;
            }

            (var points, _weights) = GaussLegendre.OnUnitInterval(count, _width);
            _factors = new double[Nodes.Length * 8 * _width];
            for (var i = 0; i < _zero.Length; i++)
            {
                for (var o = 0; o < 2; o++)
                {
                    var factor = _factors.AsSpan(FactorOffset(i, o), 2 * _width);
                    for (var p = 0; p < _width; p++)
                    {
                        var f = _zero[i] + ((o - _zero[i]) * points[p]);
                        factor[p] = f;
                        factor[_width + p] = f > 0 ? 1 / f : 0;
                    }
                }
            }

            _sumStart = (depth + 1) * _width;
            _excludedStart = _sumStart + ((depth + 1) * _width);
            WorkLength = _excludedStart + (depth * _width);
            IndexLength = 3 * depth;
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

        /// <summary>Gets the width of the unrolled code that explains this tree (4, 8 or 16), or 0 for the general loop.</summary>
        public int PackedWidth => _packed;

        /// <summary>Gets the number of doubles <see cref="Explain"/> needs in its work buffer.</summary>
        public int WorkLength { get; }

        /// <summary>Gets the number of ints <see cref="Explain"/> needs in its index buffer.</summary>
        public int IndexLength { get; }

        public double ChildCover(int child) => child >= 0 ? Cover[child] : LeafCover[~child];

        /// <summary>The share of a node's cover that goes to one child (even split when the node has no cover).</summary>
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
        /// <param name="x">The row.</param>
        /// <param name="phi">One contribution per feature.</param>
        /// <param name="work">At least <see cref="WorkLength"/> doubles.</param>
        /// <param name="index">
        /// At least <see cref="IndexLength"/> ints: per split slot on the current path its feature, where its
        /// reciprocal factors are, and its o.
        /// </param>
        /// <param name="liveSlot">
        /// Per feature, the slot of the deepest split on it on the current path, or -1: all -1 on entry, and again on
        /// return (every visit restores what it changed).
        /// </param>
        public void Explain(ReadOnlySpan<float> x, Span<double> phi, double[] work, int[] index, Span<int> liveSlot)
        {
            if (work.Length < WorkLength || index.Length < IndexLength)
            {
                throw new ArgumentException("The work buffers are too small for this tree.");
            }

            // The empty product at level 0 is 1 at every point.
            work.AsSpan(0, _width).Fill(1);
            var walk = new Walk(x, phi, work, index, liveSlot);
            switch (_packed)
            {
                case 4:
                    VisitPacked<Pack4>(0, 0, ref walk);
                    break;
                case 8 when _wide:
                    VisitPacked<Pack8Wide>(0, 0, ref walk);
                    break;
                case 8:
                    VisitPacked<Pack8>(0, 0, ref walk);
                    break;
                case 16 when _wide:
                    VisitPacked<Pack16Wide>(0, 0, ref walk);
                    break;
                case 16:
                    VisitPacked<Pack16>(0, 0, ref walk);
                    break;
                default:
                    Visit(0, 0, ref walk);
                    break;
            }
        }

        // The vector loops below read and write whole vectors of the work buffer and the factor table without bounds
        // checks: every offset is a multiple of _width inside WorkLength (checked once in Explain) or inside the table
        // (built to cover every node, side and o). This inner loop is what explaining costs, so it matters.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Load(double[] array, int offset)
            => Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(Vector256<double> value, double[] array, int offset)
            => value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)offset);

        private int FactorOffset(int nodeSide, int one) => ((nodeSide * 2) + one) * 2 * _width;

        /// <summary>
        /// Visits a node whose path has <paramref name="level"/> splits and leaves in the level's sum vector
        /// sum over its leaves of v w_p prod(y_p), from which every split above takes its share by one dot product.
        /// </summary>
        private void Visit(int node, int level, ref Walk walk)
        {
            var width = _width;
            var work = walk.Work;
            var sum = _sumStart + (level * width);
            if (node < 0)
            {
                var v = Vector256.Create(LeafValues[~node]);
                var product = level * width;
                for (var p = 0; p < width; p += 4)
                {
                    Store(v * Load(_weights, p) * Load(work, product + p), work, sum + p);
                }

                return;
            }

            ref readonly var n = ref Nodes[node];
            var left = GoesLeft(walk.X, node);

            // A feature split on higher up is one player: its fractions multiply (the table has the product), and its
            // earlier factor is divided out of the running product while this subtree is visited; the earlier split
            // must not take a share of these leaves, so their sum is handed to it as an exclusion at the end.
            var index = walk.Index;
            var depth = Depth;
            ref var live = ref walk.LiveSlot[n.Feature];
            var previous = live;
            var previousOne = previous >= 0 ? index[(2 * depth) + previous] : 1;
            live = level;
            index[level] = n.Feature;
            var hot = (node * 2) + (left ? 0 : 1);
            var cold = (node * 2) + (left ? 1 : 0);
            work.AsSpan(sum, width).Clear();

            // A child nobody reaches (both fractions 0: no cover, and the row goes elsewhere) adds exactly 0 to every feature.
            if (_zero[hot] > 0 || previousOne > 0)
            {
                Descend(left ? n.Left : n.Right, level, hot, previousOne, previous, ref walk);
            }

            if (_zero[cold] > 0)
            {
                Descend(left ? n.Right : n.Left, level, cold, 0, previous, ref walk);
            }

            walk.LiveSlot[n.Feature] = previous;
            if (previous >= 0)
            {
                var excluded = _excludedStart + (previous * width);
                for (var p = 0; p < width; p += 4)
                {
                    Store(Load(work, excluded + p) + Load(work, sum + p), work, excluded + p);
                }
            }
        }

        /// <summary>Goes down one edge: extends the running product, visits the child, and credits this split's feature.</summary>
        private void Descend(int child, int level, int nodeSide, int one, int previous, ref Walk walk)
        {
            var width = _width;
            var work = walk.Work;
            var index = walk.Index;
            var depth = Depth;
            var factor = FactorOffset(nodeSide, one);
            index[(2 * depth) + level] = one;
            index[depth + level] = factor + width;
            var parent = level * width;
            var product = parent + width;
            if (previous < 0)
            {
                for (var p = 0; p < width; p += 4)
                {
                    Store(Load(work, parent + p) * Load(_factors, factor + p), work, product + p);
                }
            }
            else
            {
                var earlier = index[depth + previous];
                for (var p = 0; p < width; p += 4)
                {
                    Store(Load(work, parent + p) * Load(_factors, factor + p) * Load(_factors, earlier + p), work, product + p);
                }
            }

            var excluded = _excludedStart + (level * width);
            work.AsSpan(excluded, width).Clear();
            Visit(child, level + 1, ref walk);

            // This split's share of every leaf below where it is still the live split on its feature:
            // (o - z) sum_p [sum_leaves v w_p prod(y_p)] / factor(y_p).
            var below = _sumStart + ((level + 1) * width);
            var sum = below - width;
            var reciprocal = factor + width;
            var total = Vector256<double>.Zero;
            for (var p = 0; p < width; p += 4)
            {
                var b = Load(work, below + p);
                total += (b - Load(work, excluded + p)) * Load(_factors, reciprocal + p);
                Store(Load(work, sum + p) + b, work, sum + p);
            }

            walk.Phi[index[level]] += (one - _zero[nodeSide]) * Vector256.Sum(total);
        }

        /// <summary>
        /// <see cref="Visit"/> for a tree whose vectors are one <typeparamref name="T"/> wide: the same operations in the
        /// same order (so the same values to the bit), with every vector loop and clear unrolled into registers. The JIT
        /// compiles one copy per width; this is where explaining spends its time.
        /// </summary>
        private void VisitPacked<T>(int node, int level, ref Walk walk)
            where T : struct, IPack<T>
        {
            var width = T.Width;
            var work = walk.Work;
            var sum = _sumStart + (level * width);
            if (node < 0)
            {
                T.Store(T.Broadcast(LeafValues[~node]) * T.Load(_weights, 0) * T.Load(work, level * width), work, sum);
                return;
            }

            ref readonly var n = ref Nodes[node];
            var left = GoesLeft(walk.X, node);
            var index = walk.Index;
            var depth = Depth;
            ref var live = ref walk.LiveSlot[n.Feature];
            var previous = live;
            var previousOne = previous >= 0 ? index[(2 * depth) + previous] : 1;
            live = level;
            index[level] = n.Feature;
            var hot = (node * 2) + (left ? 0 : 1);
            var cold = (node * 2) + (left ? 1 : 0);
            T.Store(default, work, sum);
            if (_zero[hot] > 0 || previousOne > 0)
            {
                DescendPacked<T>(left ? n.Left : n.Right, level, hot, previousOne, previous, ref walk);
            }

            if (_zero[cold] > 0)
            {
                DescendPacked<T>(left ? n.Right : n.Left, level, cold, 0, previous, ref walk);
            }

            walk.LiveSlot[n.Feature] = previous;
            if (previous >= 0)
            {
                var excluded = _excludedStart + (previous * width);
                T.Store(T.Load(work, excluded) + T.Load(work, sum), work, excluded);
            }
        }

        /// <summary><see cref="Descend"/> one <typeparamref name="T"/> wide (inlined: one call per node instead of three).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void DescendPacked<T>(int child, int level, int nodeSide, int one, int previous, ref Walk walk)
            where T : struct, IPack<T>
        {
            var width = T.Width;
            var work = walk.Work;
            var index = walk.Index;
            var depth = Depth;
            var factor = FactorOffset(nodeSide, one);
            index[(2 * depth) + level] = one;
            index[depth + level] = factor + width;
            var parent = level * width;
            var product = T.Load(work, parent) * T.Load(_factors, factor);
            if (previous >= 0)
            {
                product *= T.Load(_factors, index[depth + previous]);
            }

            T.Store(product, work, parent + width);
            var excluded = _excludedStart + (level * width);
            T.Store(default, work, excluded);
            VisitPacked<T>(child, level + 1, ref walk);

            var below = _sumStart + ((level + 1) * width);
            var sum = below - width;
            var b = T.Load(work, below);
            var total = (b - T.Load(work, excluded)) * T.Load(_factors, factor + width);
            T.Store(T.Load(work, sum) + b, work, sum);
            walk.Phi[index[level]] += (one - _zero[nodeSide]) * T.Sum(total);
        }

        /// <summary>Fills <see cref="_zero"/> below a node; returns the most distinct features on a path from it.</summary>
        private int FillZero(int node, Dictionary<int, double> zeroByFeature)
        {
            ref readonly var n = ref Nodes[node];
            var known = zeroByFeature.TryGetValue(n.Feature, out var above);
            if (!known)
            {
                above = 1;
            }

            var most = 0;
            for (var side = 0; side < 2; side++)
            {
                var child = side == 0 ? n.Left : n.Right;
                var zero = above * Fraction(node, child);
                _zero[(node * 2) + side] = zero;
                if (child >= 0)
                {
                    zeroByFeature[n.Feature] = zero;
                    most = Math.Max(most, FillZero(child, zeroByFeature));
                }
            }

            if (known)
            {
                zeroByFeature[n.Feature] = above;
            }
            else
            {
                zeroByFeature.Remove(n.Feature);
            }

            return most + (known ? 0 : 1);
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

        /// <summary>What one explanation's recursion carries, passed by reference so each call takes one pointer.</summary>
        private readonly ref struct Walk(ReadOnlySpan<float> x, Span<double> phi, double[] work, int[] index, Span<int> liveSlot)
        {
            public readonly ReadOnlySpan<float> X = x;
            public readonly Span<double> Phi = phi;
            public readonly double[] Work = work;
            public readonly int[] Index = index;
            public readonly Span<int> LiveSlot = liveSlot;
        }
    }

    /// <summary>
    /// A fixed number of doubles handled as registers: the quadrature values of one vector of the explanation, for
    /// <see cref="ShapTree"/>'s unrolled code. Offsets are unchecked (see <c>ShapTree.Load</c>).
    /// </summary>
    internal interface IPack<TSelf>
        where TSelf : struct, IPack<TSelf>
    {
        static abstract int Width { get; }

        static abstract TSelf Load(double[] array, int offset);

        static abstract void Store(TSelf value, double[] array, int offset);

        static abstract TSelf Broadcast(double value);

        /// <summary>Sums the lanes in the order the general loop does: blocks of four added first, then one horizontal sum.</summary>
        static abstract double Sum(TSelf value);

        static abstract TSelf operator +(TSelf a, TSelf b);

        static abstract TSelf operator -(TSelf a, TSelf b);

        static abstract TSelf operator *(TSelf a, TSelf b);
    }

    /// <summary>Four quadrature values.</summary>
    internal readonly struct Pack4(Vector256<double> a) : IPack<Pack4>
    {
        private readonly Vector256<double> _a = a;

        public static int Width => 4;

        public static Pack4 Load(double[] array, int offset) => new(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)offset));

        public static void Store(Pack4 value, double[] array, int offset) => value._a.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)offset);

        public static Pack4 Broadcast(double value) => new(Vector256.Create(value));

        public static double Sum(Pack4 value) => Vector256.Sum(value._a);

        public static Pack4 operator +(Pack4 a, Pack4 b) => new(a._a + b._a);

        public static Pack4 operator -(Pack4 a, Pack4 b) => new(a._a - b._a);

        public static Pack4 operator *(Pack4 a, Pack4 b) => new(a._a * b._a);
    }

    /// <summary>Eight quadrature values.</summary>
    internal readonly struct Pack8(Vector256<double> a, Vector256<double> b) : IPack<Pack8>
    {
        private readonly Vector256<double> _a = a;
        private readonly Vector256<double> _b = b;

        public static int Width => 8;

        public Vector256<double> Low => _a;

        public Vector256<double> High => _b;

        public static Pack8 Load(double[] array, int offset)
        {
            ref var start = ref MemoryMarshal.GetArrayDataReference(array);
            return new(Vector256.LoadUnsafe(ref start, (nuint)offset), Vector256.LoadUnsafe(ref start, (nuint)offset + 4));
        }

        public static void Store(Pack8 value, double[] array, int offset)
        {
            ref var start = ref MemoryMarshal.GetArrayDataReference(array);
            value._a.StoreUnsafe(ref start, (nuint)offset);
            value._b.StoreUnsafe(ref start, (nuint)offset + 4);
        }

        public static Pack8 Broadcast(double value) => new(Vector256.Create(value), Vector256.Create(value));

        public static double Sum(Pack8 value) => Vector256.Sum(value._a + value._b);

        public static Pack8 operator +(Pack8 a, Pack8 b) => new(a._a + b._a, a._b + b._b);

        public static Pack8 operator -(Pack8 a, Pack8 b) => new(a._a - b._a, a._b - b._b);

        public static Pack8 operator *(Pack8 a, Pack8 b) => new(a._a * b._a, a._b * b._b);
    }

    /// <summary>Sixteen quadrature values.</summary>
    internal readonly struct Pack16(Pack8 a, Pack8 b) : IPack<Pack16>
    {
        private readonly Pack8 _a = a;
        private readonly Pack8 _b = b;

        public static int Width => 16;

        public static Pack16 Load(double[] array, int offset) => new(Pack8.Load(array, offset), Pack8.Load(array, offset + 8));

        public static void Store(Pack16 value, double[] array, int offset)
        {
            Pack8.Store(value._a, array, offset);
            Pack8.Store(value._b, array, offset + 8);
        }

        public static Pack16 Broadcast(double value) => new(Pack8.Broadcast(value), Pack8.Broadcast(value));

        // The general loop adds the four blocks in order, then sums the lanes once.
        public static double Sum(Pack16 value) => Vector256.Sum(value._a.Low + value._a.High + value._b.Low + value._b.High);

        public static Pack16 operator +(Pack16 a, Pack16 b) => new(a._a + b._a, a._b + b._b);

        public static Pack16 operator -(Pack16 a, Pack16 b) => new(a._a - b._a, a._b - b._b);

        public static Pack16 operator *(Pack16 a, Pack16 b) => new(a._a * b._a, a._b * b._b);
    }

    /// <summary>Eight quadrature values in one 512-bit vector.</summary>
    internal readonly struct Pack8Wide(Vector512<double> a) : IPack<Pack8Wide>
    {
        private readonly Vector512<double> _a = a;

        public static int Width => 8;

        public static Pack8Wide Load(double[] array, int offset) => new(Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)offset));

        public static void Store(Pack8Wide value, double[] array, int offset) => value._a.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)offset);

        public static Pack8Wide Broadcast(double value) => new(Vector512.Create(value));

        // The blocks of four are added first, as the general loop does, so the sum is the same to the bit.
        public static double Sum(Pack8Wide value) => Vector256.Sum(value._a.GetLower() + value._a.GetUpper());

        public static Pack8Wide operator +(Pack8Wide a, Pack8Wide b) => new(a._a + b._a);

        public static Pack8Wide operator -(Pack8Wide a, Pack8Wide b) => new(a._a - b._a);

        public static Pack8Wide operator *(Pack8Wide a, Pack8Wide b) => new(a._a * b._a);
    }

    /// <summary>Sixteen quadrature values in two 512-bit vectors.</summary>
    internal readonly struct Pack16Wide(Vector512<double> a, Vector512<double> b) : IPack<Pack16Wide>
    {
        private readonly Vector512<double> _a = a;
        private readonly Vector512<double> _b = b;

        public static int Width => 16;

        public static Pack16Wide Load(double[] array, int offset)
        {
            ref var start = ref MemoryMarshal.GetArrayDataReference(array);
            return new(Vector512.LoadUnsafe(ref start, (nuint)offset), Vector512.LoadUnsafe(ref start, (nuint)offset + 8));
        }

        public static void Store(Pack16Wide value, double[] array, int offset)
        {
            ref var start = ref MemoryMarshal.GetArrayDataReference(array);
            value._a.StoreUnsafe(ref start, (nuint)offset);
            value._b.StoreUnsafe(ref start, (nuint)offset + 8);
        }

        public static Pack16Wide Broadcast(double value) => new(Vector512.Create(value), Vector512.Create(value));

        public static double Sum(Pack16Wide value) => Vector256.Sum(value._a.GetLower() + value._a.GetUpper() + value._b.GetLower() + value._b.GetUpper());

        public static Pack16Wide operator +(Pack16Wide a, Pack16Wide b) => new(a._a + b._a, a._b + b._b);

        public static Pack16Wide operator -(Pack16Wide a, Pack16Wide b) => new(a._a - b._a, a._b - b._b);

        public static Pack16Wide operator *(Pack16Wide a, Pack16Wide b) => new(a._a * b._a, a._b * b._b);
    }
}
