using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// Builds a boosted binary <see cref="TreeEnsembleModel"/> from explicit trees: the way converters and importers
/// (ML.NET, XGBoost, LightGBM) turn a model trained elsewhere into an ordinary PatternQuality model.
/// </summary>
/// <remarks>
/// The model's margin is <see cref="BaseScore"/> plus the sum of the trees' leaf values; its probability is the
/// sigmoid of the margin. Every tree is checked when it is added (children in range, each split and leaf reached
/// exactly once from the root, finite thresholds and leaf values, categorical splits only on categorical features),
/// so a built model can never loop or read out of bounds. The result supports everything a trained model does:
/// saving, continued training, leaf refits and incremental updates.
/// </remarks>
public sealed class TreeEnsembleBuilder
{
    private const int MaxCategory = 1 << 20;
    private readonly FeatureSchema _schema;
    private readonly List<RegressionTree> _trees = [];
    private double _baseScore;
    private double _learningRate = 0.1;

    /// <summary>Initializes a new instance of the <see cref="TreeEnsembleBuilder"/> class.</summary>
    /// <param name="schema">The features the trees split on, in vector order.</param>
    public TreeEnsembleBuilder(FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
    }

    /// <summary>Gets or sets the margin (log-odds) every row starts from.</summary>
    /// <value>The default value is 0. Must be finite.</value>
    public double BaseScore
    {
        get => _baseScore;
        set => _baseScore = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The base score must be finite.");
    }

    /// <summary>Gets or sets the shrinkage later leaf refits and continued training apply to new leaf values.</summary>
    /// <value>The default value is 0.1. Allowed: greater than 0, at most 1.</value>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be greater than 0 and at most 1.");
    }

    /// <summary>Gets the number of trees added so far.</summary>
    public int TreeCount => _trees.Count;

    /// <summary>Adds a tree: <paramref name="splits"/>[0] is the root (no splits: a single leaf).</summary>
    /// <param name="splits">The split nodes; children refer to split indexes or to <c>~leafIndex</c>.</param>
    /// <param name="leafValues">The value each leaf adds to the margin; one more than there are splits.</param>
    /// <param name="leafCover">The training weight (hessian sum or row count) of each leaf, or <see langword="null"/> when unknown.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The tree is malformed: see the message for the node and the reason.</exception>
    public TreeEnsembleBuilder AddTree(IReadOnlyList<TreeSplit> splits, IReadOnlyList<double> leafValues, IReadOnlyList<double>? leafCover = null)
    {
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(leafValues);
        var tree = _trees.Count;
        if (leafValues.Count != splits.Count + 1)
        {
            throw new ArgumentException($"Tree {tree} has {splits.Count} splits and {leafValues.Count} leaves; a binary tree has one more leaf than splits.", nameof(leafValues));
        }

        if (leafCover is not null && leafCover.Count != leafValues.Count)
        {
            throw new ArgumentException($"Tree {tree} has {leafValues.Count} leaves and {leafCover.Count} cover values.", nameof(leafCover));
        }

        for (var l = 0; l < leafValues.Count; l++)
        {
            if (!double.IsFinite(leafValues[l]) || (leafCover is not null && !(leafCover[l] >= 0 && double.IsFinite(leafCover[l]))))
            {
                throw new ArgumentException($"Tree {tree}, leaf {l} has a value or cover that is not finite (or a negative cover).", nameof(leafValues));
            }
        }

        // Renumber splits in depth-first order so every child index is greater than its parent's, which the scoring
        // code and the model file rely on; the walk also proves every split and leaf is reached exactly once.
        var order = Preorder(splits, leafValues.Count, tree);
        var newIndex = new int[splits.Count];
        for (var i = 0; i < order.Count; i++)
        {
            newIndex[order[i]] = i;
        }

        int Map(int child) => child >= 0 ? newIndex[child] : child;
        var nodes = new TreeNode[splits.Count];
        var gains = new double[splits.Count];
        var bits = new List<uint>();
        for (var i = 0; i < order.Count; i++)
        {
            var s = splits[order[i]];
            var node = new TreeNode { Feature = s.Feature, Threshold = s.Threshold, Left = Map(s.Left), Right = Map(s.Right), DefaultLeft = s.MissingGoesLeft, CategoryStart = -1 };
            if (s.LeftCategories is { } categories)
            {
                var words = Math.Max(1, (categories.Count == 0 ? 0 : categories.Max() / 32) + 1);
                node.CategoryStart = bits.Count;
                node.CategoryWordCount = words;
                var start = bits.Count;
                bits.AddRange(new uint[words]);
                foreach (var c in categories)
                {
                    bits[start + (c >> 5)] |= 1u << (c & 31);
                }
            }

            nodes[i] = node;
            gains[i] = s.Gain;
        }

        var values = leafValues.ToArray();
        var cover = leafCover?.ToArray() ?? new double[values.Length];
        var counts = cover.Select(c => (int)Math.Min(int.MaxValue, Math.Round(c))).ToArray();
        _trees.Add(new RegressionTree(nodes, values, [.. bits], gains, cover, counts));
        return this;
    }

    /// <summary>Builds the model.</summary>
    /// <param name="trainingOptions">Name/value settings to keep with the model (for example the source library and its parameters), or <see langword="null"/>.</param>
    /// <returns>The model; the builder may keep adding trees for another model.</returns>
    public TreeEnsembleModel Build(IEnumerable<KeyValuePair<string, string>>? trainingOptions = null)
    {
        var options = trainingOptions?.ToList() ?? [];
        options.Add(new("BuiltTrees", _trees.Count.ToString(CultureInfo.InvariantCulture)));
        var ensemble = new TreeEnsemble(EnsembleKind.BoostedBinary, 1, [_baseScore], [.. _trees], _learningRate, 0);
        return new TreeEnsembleModel(_schema, ensemble, options, []);
    }

    private List<int> Preorder(IReadOnlyList<TreeSplit> splits, int leafCount, int tree)
    {
        var order = new List<int>(splits.Count);
        if (splits.Count == 0)
        {
            return order;
        }

        var splitSeen = new bool[splits.Count];
        var leafSeen = new bool[leafCount];
        var stack = new Stack<int>();
        stack.Push(0);
        splitSeen[0] = true;
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            var s = splits[i] ?? throw new ArgumentException($"Tree {tree}, split {i} is null.", nameof(splits));
            Check(s, i, tree);
            order.Add(i);
            foreach (var child in new[] { s.Right, s.Left })
            {
                if (child >= 0)
                {
                    if (child >= splits.Count || splitSeen[child])
                    {
                        throw new ArgumentException($"Tree {tree}, split {i} has child {child}, which is out of range or reached twice.", nameof(splits));
                    }

                    splitSeen[child] = true;
                    stack.Push(child);
                }
                else
                {
                    var leaf = ~child;
                    if (leaf >= leafCount || leafSeen[leaf])
                    {
                        throw new ArgumentException($"Tree {tree}, split {i} has leaf child {leaf}, which is out of range or reached twice.", nameof(splits));
                    }

                    leafSeen[leaf] = true;
                }
            }
        }

        if (order.Count != splits.Count)
        {
            throw new ArgumentException($"Tree {tree} has {splits.Count - order.Count} splits the root does not reach.", nameof(splits));
        }

        return order;
    }

    private void Check(TreeSplit s, int i, int tree)
    {
        if ((uint)s.Feature >= (uint)_schema.Count)
        {
            throw new ArgumentException($"Tree {tree}, split {i} uses feature {s.Feature}; the schema has {_schema.Count}.", "splits");
        }

        if (s.LeftCategories is { } categories)
        {
            if (_schema[s.Feature].Kind != FeatureKind.Categorical)
            {
                throw new ArgumentException($"Tree {tree}, split {i} is categorical, but feature '{_schema[s.Feature].Name}' is not.", "splits");
            }

            if (categories.Any(c => c < 0 || c >= MaxCategory))
            {
                throw new ArgumentException($"Tree {tree}, split {i} lists a category index outside [0, {MaxCategory}).", "splits");
            }
        }
        else if (!float.IsFinite(s.Threshold))
        {
            throw new ArgumentException($"Tree {tree}, split {i} has a threshold that is not finite ({s.Threshold}).", "splits");
        }
    }
}
