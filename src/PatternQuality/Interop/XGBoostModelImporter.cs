using System.Globalization;
using System.Text.Json;
using PatternQuality.Data;
using PatternQuality.Interop.Internal;
using PatternQuality.Serialization;
using PatternQuality.Trees;

namespace PatternQuality.Interop;

/// <summary>
/// Imports a binary XGBoost model saved as JSON (<c>Booster.save_model("m.json")</c>, XGBoost 1.x and 2.x) into a
/// <see cref="TreeEnsembleModel"/> that predicts what <c>Booster.predict</c> predicts, and can then be calibrated,
/// versioned, refined by continued training and updated incrementally like any PatternQuality model.
/// </summary>
/// <remarks>
/// <para>
/// Objectives: <c>binary:logistic</c> and <c>reg:logistic</c> (margin = logit(base_score) + trees) and
/// <c>binary:logitraw</c> (margin = base_score + trees). XGBoost sends <c>value &lt; split_condition</c> left and a
/// missing value (NaN) to the node's <c>default_left</c> side; the importer keeps both rules exactly (a threshold
/// becomes the largest float below XGBoost's, with PatternQuality's <c>&lt;=</c>).
/// </para>
/// <para>
/// Features: when the model stores <c>feature_names</c>, each is matched by name to the schema passed to <see cref="Import"/>;
/// otherwise model feature <c>j</c> is schema feature <c>j</c>. Multiclass models and categorical splits are not
/// supported yet (<see cref="NotSupportedException"/>).
/// </para>
/// </remarks>
public static class XGBoostModelImporter
{
    private const string Format = "XGBoost JSON";

    /// <summary>Reads an XGBoost JSON model.</summary>
    /// <param name="json">The model file's content; read to its end.</param>
    /// <param name="schema">The features the model will score, usually from the data file's columns.</param>
    /// <param name="cancellationToken">Stops the import.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The content is not a well-formed XGBoost JSON tree model, or a feature is not in the schema.</exception>
    /// <exception cref="NotSupportedException">The model is multiclass, uses categorical splits, or has another objective or booster.</exception>
    public static TreeEnsembleModel Import(Stream json, FeatureSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(schema);
        using var doc = ImportGuard.Run(Format, () => JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 }));
        return ImportGuard.Run(Format, () => Read(doc.RootElement, schema, cancellationToken));
    }

    private static TreeEnsembleModel Read(JsonElement root, FeatureSchema schema, CancellationToken cancellationToken)
    {
        var learner = root.GetProperty("learner");
        var objective = learner.GetProperty("objective").GetProperty("name").GetString();
        var param = learner.GetProperty("learner_model_param");
        var classes = ParseInt(param.GetProperty("num_class").GetString());
        if (classes > 1)
        {
            throw new NotSupportedException($"The XGBoost model has {classes} classes; only binary models are imported.");
        }

        var baseScore = double.Parse(param.GetProperty("base_score").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
        double baseMargin = objective switch
        {
            "binary:logistic" or "reg:logistic" => baseScore > 0 && baseScore < 1
                ? Math.Log(baseScore / (1 - baseScore))
                : throw ImportGuard.Error(Format, $"base_score {baseScore} is not a probability."),
            "binary:logitraw" => baseScore,
            _ => throw new NotSupportedException($"The XGBoost objective '{objective}' is not supported; import binary:logistic, reg:logistic or binary:logitraw models."),
        };

        var booster = learner.GetProperty("gradient_booster");
        var boosterName = booster.GetProperty("name").GetString();
        if (boosterName != "gbtree")
        {
            throw new NotSupportedException($"The XGBoost booster '{boosterName}' is not supported; only gbtree models are imported.");
        }

        var featureMap = FeatureMap(learner, schema);
        var builder = new TreeEnsembleBuilder(schema) { BaseScore = baseMargin };
        var trees = booster.GetProperty("model").GetProperty("trees");
        foreach (var tree in trees.EnumerateArray())
        {
            cancellationToken.ThrowIfCancellationRequested();
            AddTree(builder, tree, featureMap, builder.TreeCount);
        }

        var version = root.TryGetProperty("version", out var v) ? string.Join('.', v.EnumerateArray().Select(e => e.GetInt32())) : "unknown";
        return builder.Build(
        [
            new("Source", "XGBoost " + version),
            new("Objective", objective!),
            new("BaseScore", baseScore.ToString("R", CultureInfo.InvariantCulture)),
        ]);
    }

    private static int[] FeatureMap(JsonElement learner, FeatureSchema schema)
    {
        var names = learner.TryGetProperty("feature_names", out var n) && n.ValueKind == JsonValueKind.Array
            ? n.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
            : [];
        if (names.Length == 0)
        {
            var count = ParseInt(learner.GetProperty("learner_model_param").GetProperty("num_feature").GetString());
            if (count > schema.Count)
            {
                throw ImportGuard.Error(Format, $"it reads {count} features and the data has {schema.Count}; pass data with the model's feature columns in order.");
            }

            return Enumerable.Range(0, count).ToArray();
        }

        return names.Select(name => schema.IndexOf(name) is var i and >= 0
            ? i
            : throw ImportGuard.Error(Format, $"its feature '{name}' is not a column of the data.")).ToArray();
    }

    private static void AddTree(TreeEnsembleBuilder builder, JsonElement tree, int[] featureMap, int index)
    {
        var left = Ints(tree, "left_children");
        var right = Ints(tree, "right_children");
        var feature = Ints(tree, "split_indices");
        var defaultLeft = Ints(tree, "default_left");
        var conditions = Floats(tree, "split_conditions");
        var gains = Floats(tree, "loss_changes");
        var hessians = Floats(tree, "sum_hessian");
        var n = left.Length;
        if (n == 0 || n > ImportGuard.MaxNodesPerTree || right.Length != n || feature.Length != n || defaultLeft.Length != n
            || conditions.Length != n || gains.Length != n || hessians.Length != n)
        {
            throw ImportGuard.Error(Format, $"tree {index} has {n} nodes and arrays of other lengths.");
        }

        if (tree.TryGetProperty("split_type", out var types) && types.EnumerateArray().Any(t => t.GetInt32() != 0))
        {
            throw new NotSupportedException($"Tree {index} of the XGBoost model has categorical splits, which are not imported yet.");
        }

        // XGBoost numbers splits and leaves in one id space; number the reachable ones depth-first from the root
        // (pruned nodes stay in the arrays but no parent points to them).
        var splitIndex = new Dictionary<int, int>();
        var leafIndex = new Dictionary<int, int>();
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if ((uint)id >= (uint)n || splitIndex.ContainsKey(id) || leafIndex.ContainsKey(id))
            {
                throw ImportGuard.Error(Format, $"tree {index} refers to node {id} out of range or twice.");
            }

            if (left[id] == -1)
            {
                leafIndex[id] = leafIndex.Count;
                continue;
            }

            splitIndex[id] = splitIndex.Count;
            stack.Push(right[id]);
            stack.Push(left[id]);
        }

        int Child(int id) => left[id] == -1 ? ~leafIndex[id] : splitIndex[id];
        var splits = new TreeSplit[splitIndex.Count];
        foreach (var (id, s) in splitIndex)
        {
            if ((uint)feature[id] >= (uint)featureMap.Length)
            {
                throw ImportGuard.Error(Format, $"tree {index}, node {id} splits on feature {feature[id]}, beyond the model's {featureMap.Length}.");
            }

            splits[s] = new TreeSplit
            {
                Feature = featureMap[feature[id]],

                // XGBoost: value < c goes left. The largest float below c makes the same decision with <=.
                Threshold = MathF.BitDecrement(conditions[id]),
                Left = Child(left[id]),
                Right = Child(right[id]),
                MissingGoesLeft = defaultLeft[id] != 0,
                Gain = gains[id],
            };
        }

        var values = new double[leafIndex.Count];
        var cover = new double[leafIndex.Count];
        foreach (var (id, l) in leafIndex)
        {
            values[l] = conditions[id];
            cover[l] = Math.Max(0, hessians[id]);
        }

        builder.AddTree(splits, values, cover);
    }

    private static int[] Ints(JsonElement tree, string name) => tree.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static float[] Floats(JsonElement tree, string name) => tree.GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();

    private static int ParseInt(string? text) => int.Parse(text ?? throw new FormatException("a number is missing."), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
