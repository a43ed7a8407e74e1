using PatternQuality.Data;
using PatternQuality.Serialization;

namespace PatternQuality.Trees.Internal;

/// <summary>Writes and reads the "trees" and "options" sections of a model file.</summary>
/// <remarks>
/// "trees" layout: int32 kind, int32 class count, double base score per class, double learning rate, double L2,
/// int32 tree count, then per tree: int32 leaf count, int32 category word count, the nodes (int32 feature, float
/// threshold, int32 left, int32 right, int32 category start, int32 category words, bool default-left, double gain),
/// the category words (uint32), and per leaf a double value, a double weight and an int32 count.
/// </remarks>
internal static class TreeEnsembleFormat
{
    public const string TreesTag = "trees";
    public const string OptionsTag = "options";
    private const int MaxTrees = 10_000_000;
    private const int MaxLeaves = 1 << 24;

    // Bytes one node and one leaf take in the file, so a declared leaf count is checked against the bytes left.
    private const int NodeBytes = 4 + 4 + 4 + 4 + 4 + 4 + 1 + 8;
    private const int LeafBytes = 8 + 8 + 4;

    // A bound on leaf values and base scores: far beyond any trained model, yet small enough that the sum over the
    // most trees a file may hold stays finite, so a loaded model can never score NaN or an infinity.
    private const double MaxScore = 1e15;

    public static byte[] Save(FeatureSchema schema, TreeEnsemble ensemble, IReadOnlyList<KeyValuePair<string, string>> options)
    {
        var writer = new ModelFileWriter();
        writer.AddSection(FeatureSchemaSection.Tag, w => FeatureSchemaSection.Write(w, schema));
        writer.AddSection(TreesTag, w => WriteTrees(w, ensemble));
        writer.AddSection(OptionsTag, w =>
        {
            w.Write(options.Count);
            foreach (var (key, value) in options)
            {
                w.Write(key);
                w.Write(value);
            }
        });
        return writer.ToArray();
    }

    public static (FeatureSchema Schema, TreeEnsemble Ensemble, IReadOnlyList<KeyValuePair<string, string>> Options) Load(ModelFileReader reader)
    {
        var schema = reader.ReadSection(FeatureSchemaSection.Tag, FeatureSchemaSection.Read);
        var ensemble = reader.ReadSection(TreesTag, r => ReadTrees(r, schema));
        var options = reader.ReadSection(OptionsTag, r =>
        {
            var count = ModelFileReader.ReadCount(r, 2, "options");

            var list = new List<KeyValuePair<string, string>>(count);
            for (var i = 0; i < count; i++)
            {
                list.Add(new(r.ReadString(), r.ReadString()));
            }

            return list;
        });
        return (schema, ensemble, options);
    }

    private static void WriteTrees(BinaryWriter w, TreeEnsemble e)
    {
        w.Write((int)e.Kind);
        w.Write(e.ClassCount);
        foreach (var b in e.BaseScores)
        {
            w.Write(b);
        }

        w.Write(e.LearningRate);
        w.Write(e.L2);
        w.Write(e.Trees.Length);
        foreach (var t in e.Trees)
        {
            w.Write(t.LeafCount);
            w.Write(t.CategoryBits.Length);
            for (var i = 0; i < t.Nodes.Length; i++)
            {
                var n = t.Nodes[i];
                w.Write(n.Feature);
                w.Write(n.Threshold);
                w.Write(n.Left);
                w.Write(n.Right);
                w.Write(n.CategoryStart);
                w.Write(n.CategoryWordCount);
                w.Write(n.DefaultLeft);
                w.Write(t.SplitGains[i]);
            }

            foreach (var bits in t.CategoryBits)
            {
                w.Write(bits);
            }

            for (var l = 0; l < t.LeafCount; l++)
            {
                w.Write(t.LeafValues[l]);
                w.Write(t.LeafWeights[l]);
                w.Write(t.LeafCounts[l]);
            }
        }
    }

    private static TreeEnsemble ReadTrees(BinaryReader r, FeatureSchema schema)
    {
        var kind = (EnsembleKind)r.ReadInt32();
        if (!Enum.IsDefined(kind))
        {
            throw new ModelFormatException($"The trees section has an unknown ensemble kind {(int)kind}.");
        }

        var classes = ModelFileReader.ReadCount(r, 8, "classes");
        if (classes < 1 || classes > 100_000 || (kind != EnsembleKind.BoostedMulticlass && classes != 1))
        {
            throw new ModelFormatException($"The trees section has an invalid class count {classes} for a {kind} ensemble.");
        }

        var baseScores = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            baseScores[c] = ModelFileReader.CheckFinite(r.ReadDouble(), MaxScore, $"The base score of class {c}");
        }

        var learningRate = ModelFileReader.CheckFinite(r.ReadDouble(), MaxScore, "The learning rate");
        var l2 = ModelFileReader.CheckFinite(r.ReadDouble(), double.MaxValue, "The L2 regularization");
        var treeCount = ModelFileReader.ReadCount(r, 8, "trees");
        if (treeCount < 0 || treeCount > MaxTrees || treeCount % classes != 0)
        {
            throw new ModelFormatException($"The trees section declares {treeCount} trees for {classes} classes.");
        }

        var trees = new RegressionTree[treeCount];
        for (var t = 0; t < treeCount; t++)
        {
            var leaves = r.ReadInt32();
            var words = r.ReadInt32();
            if (leaves < 1 || leaves > MaxLeaves || words < 0 || words > MaxLeaves
                || ((long)(leaves - 1) * NodeBytes) + ((long)leaves * LeafBytes) + (words * 4L) > r.BaseStream.Length - r.BaseStream.Position)
            {
                throw new ModelFormatException($"Tree {t} declares {leaves} leaves and {words} category words, more than the rest of the section holds.");
            }

            var nodes = new TreeNode[leaves - 1];
            var gains = new double[leaves - 1];
            for (var i = 0; i < nodes.Length; i++)
            {
                nodes[i] = new TreeNode
                {
                    Feature = r.ReadInt32(),
                    Threshold = r.ReadSingle(),
                    Left = r.ReadInt32(),
                    Right = r.ReadInt32(),
                    CategoryStart = r.ReadInt32(),
                    CategoryWordCount = r.ReadInt32(),
                    DefaultLeft = r.ReadBoolean(),
                };
                gains[i] = ModelFileReader.CheckFinite(r.ReadDouble(), double.MaxValue, $"Tree {t}, node {i}: the split gain");
                CheckNode(nodes[i], i, nodes.Length, leaves, words, schema, t);
            }

            var bits = new uint[words];
            for (var i = 0; i < words; i++)
            {
                bits[i] = r.ReadUInt32();
            }

            var values = new double[leaves];
            var weights = new double[leaves];
            var counts = new int[leaves];
            for (var l = 0; l < leaves; l++)
            {
                values[l] = ModelFileReader.CheckFinite(r.ReadDouble(), kind == EnsembleKind.Forest ? 1 : MaxScore, $"Tree {t}, leaf {l}: the value");
                weights[l] = ModelFileReader.CheckFinite(r.ReadDouble(), double.MaxValue, $"Tree {t}, leaf {l}: the weight");
                counts[l] = r.ReadInt32();
                if ((kind == EnsembleKind.Forest && values[l] < 0) || weights[l] < 0 || counts[l] < 0)
                {
                    throw new ModelFormatException($"Tree {t}, leaf {l} has a value, weight or count out of range ({values[l]}, {weights[l]}, {counts[l]}).");
                }
            }

            trees[t] = new RegressionTree(nodes, values, bits, gains, weights, counts);
        }

        return new TreeEnsemble(kind, classes, baseScores, trees, learningRate, l2);
    }

    private static void CheckNode(in TreeNode n, int index, int nodeCount, int leaves, int words, FeatureSchema schema, int tree)
    {
        // Children must point forward (no cycles) and stay in range, so scoring can never loop or index out of bounds.
        static bool ChildOk(int child, int index, int nodeCount, int leaves)
            => child >= 0 ? child > index && child < nodeCount : ~child < leaves;

        if ((uint)n.Feature >= (uint)schema.Count
            || !ChildOk(n.Left, index, nodeCount, leaves)
            || !ChildOk(n.Right, index, nodeCount, leaves)
            || (n.CategoryStart >= 0 && (n.CategoryWordCount < 1 || (long)n.CategoryStart + n.CategoryWordCount > words
                || schema[n.Feature].Kind != FeatureKind.Categorical)))
        {
            throw new ModelFormatException($"Tree {tree}, node {index} is invalid (feature {n.Feature}, children {n.Left}/{n.Right}).");
        }
    }
}
