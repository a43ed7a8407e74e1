using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Interop.Internal;
using PatternQuality.Serialization;
using PatternQuality.Trees;

namespace PatternQuality.Interop;

/// <summary>
/// Imports a binary LightGBM model saved as text (<c>Booster.save_model("m.txt")</c>, LightGBM 3.x and 4.x) into a
/// <see cref="TreeEnsembleModel"/> that predicts what LightGBM predicts.
/// </summary>
/// <remarks>
/// <para>
/// Objectives: <c>binary</c> (margin = sigmoid × raw score) and <c>cross_entropy</c>. Splits follow LightGBM's rules:
/// <c>value &lt;= threshold</c> goes left (the double threshold becomes the largest float at or below it); a missing
/// value goes to the default side for missing type NaN, and is treated as 0 for missing type None; categorical splits
/// send the categories in their bitset left, and missing, negative and unlisted categories right. Missing type Zero is
/// imported when its default side agrees with where 0 goes (otherwise <see cref="NotSupportedException"/>).
/// </para>
/// <para>
/// Features: when every <c>feature_names</c> entry is a schema feature, they are matched by name; otherwise model
/// feature <c>j</c> is schema feature <c>j</c>. A categorical split needs a categorical schema feature whose value is
/// the category code. Multiclass and linear-tree models are not supported (<see cref="NotSupportedException"/>).
/// </para>
/// </remarks>
public static class LightGbmModelImporter
{
    private const string Format = "LightGBM text";
    private const int MaxTrees = 1_000_000;

    /// <summary>Reads a LightGBM text model.</summary>
    /// <param name="text">The model file's content; read to its end as UTF-8.</param>
    /// <param name="schema">The features the model will score, usually from the data file's columns.</param>
    /// <param name="cancellationToken">Stops the import.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The content is not a well-formed LightGBM text model, or a feature cannot be mapped.</exception>
    /// <exception cref="NotSupportedException">The model is multiclass, has linear trees, another objective, or a split it cannot represent.</exception>
    public static TreeEnsembleModel Import(Stream text, FeatureSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(schema);
        using var reader = new StreamReader(text, leaveOpen: true);
        return ImportGuard.Run(Format, () => Read(reader, schema, cancellationToken));
    }

    private static TreeEnsembleModel Read(TextReader reader, FeatureSchema schema, CancellationToken cancellationToken)
    {
        var header = ReadBlock(reader, out var next);
        if (!header.ContainsKey("version") && !header.ContainsKey("num_class"))
        {
            throw ImportGuard.Error(Format, "the header (version, num_class, objective) is missing.");
        }

        var classes = Int(header, "num_class");
        if (classes != 1)
        {
            throw new NotSupportedException($"The LightGBM model has {classes} classes; only binary models are imported.");
        }

        var objective = Get(header, "objective").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var sigmoid = objective[0] switch
        {
            "binary" => objective.Skip(1).Where(o => o.StartsWith("sigmoid:", StringComparison.Ordinal))
                .Select(o => ParseDouble(o["sigmoid:".Length..])).DefaultIfEmpty(1.0).First(),
            "cross_entropy" or "xentropy" => 1.0,
            _ => throw new NotSupportedException($"The LightGBM objective '{objective[0]}' is not supported; import binary or cross_entropy models."),
        };
        if (!(sigmoid > 0 && double.IsFinite(sigmoid)))
        {
            throw ImportGuard.Error(Format, $"sigmoid {sigmoid} is not positive.");
        }

        var featureCount = Int(header, "max_feature_idx") + 1;
        var names = header.TryGetValue("feature_names", out var n) ? n.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        var featureMap = names.Length == featureCount && names.All(name => schema.IndexOf(name) >= 0)
            ? names.Select(schema.IndexOf).ToArray()
            : featureCount <= schema.Count
                ? Enumerable.Range(0, featureCount).ToArray()
                : throw ImportGuard.Error(Format, $"it reads {featureCount} features and the data has {schema.Count}; pass data with the model's feature columns in order.");

        var builder = new TreeEnsembleBuilder(schema);
        double? shrinkage = null;
        while (next is not null && next.StartsWith("Tree=", StringComparison.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (builder.TreeCount >= MaxTrees)
            {
                throw ImportGuard.Error(Format, $"it has more than {MaxTrees} trees.");
            }

            var block = ReadBlock(reader, out next);
            AddTree(builder, block, featureMap, sigmoid);
            if (block.TryGetValue("shrinkage", out var s))
            {
                shrinkage ??= ParseDouble(s);
            }
        }

        if (next is null || !next.StartsWith("end of trees", StringComparison.Ordinal))
        {
            throw ImportGuard.Error(Format, "'end of trees' is missing: the file is truncated.");
        }

        if (shrinkage is > 0 and <= 1)
        {
            builder.LearningRate = shrinkage.Value;
        }

        return builder.Build(
        [
            new("Source", "LightGBM " + (header.TryGetValue("version", out var v) ? v : "unknown")),
            new("Objective", string.Join(' ', objective)),
        ]);
    }

    private static void AddTree(TreeEnsembleBuilder builder, Dictionary<string, string> block, int[] featureMap, double sigmoid)
    {
        var index = builder.TreeCount;
        var leaves = Int(block, "num_leaves");
        if (leaves < 1 || leaves > ImportGuard.MaxNodesPerTree)
        {
            throw ImportGuard.Error(Format, $"tree {index} declares {leaves} leaves.");
        }

        if (block.TryGetValue("is_linear", out var linear) && linear.Trim() != "0")
        {
            throw new NotSupportedException($"Tree {index} of the LightGBM model is a linear tree, which is not imported.");
        }

        var values = Doubles(block, "leaf_value", leaves).Select(v => v * sigmoid).ToArray();
        var cover = block.ContainsKey("leaf_weight") ? Doubles(block, "leaf_weight", leaves).Select(w => Math.Max(0, w)).ToArray() : null;
        if (leaves == 1)
        {
            builder.AddTree([], values, cover);
            return;
        }

        var splits = leaves - 1;
        var feature = Ints(block, "split_feature", splits);
        var threshold = Doubles(block, "threshold", splits);
        var decision = Ints(block, "decision_type", splits);
        var left = Ints(block, "left_child", splits);
        var right = Ints(block, "right_child", splits);
        var gain = block.ContainsKey("split_gain") ? Doubles(block, "split_gain", splits) : new double[splits];
        var catBoundaries = Int(block, "num_cat") > 0 ? Ints(block, "cat_boundaries", -1) : [];
        var catWords = Int(block, "num_cat") > 0 ? Ints(block, "cat_threshold", -1).Select(w => unchecked((uint)w)).ToArray() : [];
        var result = new TreeSplit[splits];
        for (var i = 0; i < splits; i++)
        {
            if ((uint)feature[i] >= (uint)featureMap.Length)
            {
                throw ImportGuard.Error(Format, $"tree {index}, split {i} uses feature {feature[i]}, beyond the model's {featureMap.Length}.");
            }

            var f = featureMap[feature[i]];
            var defaultLeft = (decision[i] & 2) != 0;
            var missingType = (decision[i] >> 2) & 3;
            if ((decision[i] & 1) != 0)
            {
                result[i] = new TreeSplit
                {
                    Feature = f,
                    Left = left[i],
                    Right = right[i],
                    LeftCategories = Categories(catBoundaries, catWords, threshold[i], index, i),
                    Gain = gain[i],
                };
                if (missingType != 2 && result[i].LeftCategories!.Contains(0))
                {
                    // LightGBM reads a missing value as category 0 here; PatternQuality sends missing right.
                    throw new NotSupportedException($"Tree {index}, split {i} of the LightGBM model sends category 0 and missing values left, which is not imported.");
                }

                continue;
            }

            var t = BelowOrAt(threshold[i]);
            var zeroGoesLeft = 0 <= threshold[i];
            if (missingType == 1 && defaultLeft != zeroGoesLeft)
            {
                throw new NotSupportedException($"Tree {index}, split {i} of the LightGBM model routes zero as missing against its threshold, which is not imported.");
            }

            result[i] = new TreeSplit
            {
                Feature = f,
                Threshold = t,
                Left = left[i],
                Right = right[i],

                // Missing type NaN: the default side. None (and Zero, checked above): NaN is read as 0.
                MissingGoesLeft = missingType == 2 ? defaultLeft : zeroGoesLeft,
                Gain = gain[i],
            };
        }

        builder.AddTree(result, values, cover);
    }

    /// <summary>The largest float whose double value is at most <paramref name="threshold"/>, so float <c>&lt;=</c> decides as LightGBM's double comparison.</summary>
    private static float BelowOrAt(double threshold)
    {
        if (threshold >= float.MaxValue)
        {
            return float.MaxValue;
        }

        if (threshold <= -float.MaxValue)
        {
            return -float.MaxValue;
        }

        var f = (float)threshold;
        return f > threshold ? MathF.BitDecrement(f) : f;
    }

    private static int[] Categories(int[] boundaries, uint[] words, double threshold, int tree, int split)
    {
        var c = (int)threshold;
        if (c < 0 || c + 1 >= boundaries.Length || boundaries[c] < 0 || boundaries[c + 1] > words.Length || boundaries[c] > boundaries[c + 1])
        {
            throw ImportGuard.Error(Format, $"tree {tree}, split {split} refers to categorical bitset {c}, which is out of range.");
        }

        var result = new List<int>();
        for (var w = boundaries[c]; w < boundaries[c + 1]; w++)
        {
            for (var b = 0; b < 32; b++)
            {
                if ((words[w] & (1u << b)) != 0)
                {
                    result.Add(((w - boundaries[c]) * 32) + b);
                }
            }
        }

        return [.. result];
    }

    /// <summary>Reads key=value lines until a blank line after content; <paramref name="next"/> receives the first line of the next block.</summary>
    private static Dictionary<string, string> ReadBlock(TextReader reader, out string? next)
    {
        var block = new Dictionary<string, string>(StringComparer.Ordinal);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("Tree=", StringComparison.Ordinal) || line.StartsWith("end of trees", StringComparison.Ordinal))
            {
                if (block.Count > 0 || line.StartsWith("end", StringComparison.Ordinal))
                {
                    next = line;
                    return block;
                }
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                block[line[..eq]] = line[(eq + 1)..];
            }
            else if (line != "tree")
            {
                throw ImportGuard.Error(Format, $"the line '{(line.Length > 40 ? line[..40] + "..." : line)}' is not key=value.");
            }
        }

        next = null;
        return block;
    }

    private static string Get(Dictionary<string, string> block, string key) =>
        block.TryGetValue(key, out var v) ? v : throw ImportGuard.Error(Format, $"'{key}' is missing.");

    private static int Int(Dictionary<string, string> block, string key) => int.Parse(Get(block, key), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double ParseDouble(string text) => text switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static double[] Doubles(Dictionary<string, string> block, string key, int count) => Check(Get(block, key).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseDouble).ToArray(), key, count);

    private static int[] Ints(Dictionary<string, string> block, string key, int count) =>
        Check(Get(block, key).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray(), key, count);

    private static T[] Check<T>(T[] values, string key, int count) =>
        count < 0 || values.Length == count ? values : throw ImportGuard.Error(Format, $"'{key}' has {values.Length} values, expected {count}.");
}
