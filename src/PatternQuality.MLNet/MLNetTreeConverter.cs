using System.Globalization;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;
using PatternQuality.Data;
using PatternQuality.Trees;

namespace PatternQuality.MLNet;

/// <summary>
/// Converts a tree ensemble ML.NET trained (FastTree, FastForest, LightGBM) into a PatternQuality
/// <see cref="TreeEnsembleModel"/> through ML.NET's public model parameters, so the model is saved in PatternQuality's
/// checksummed format, scored without prediction-engine pools, and refined by continued training and incremental updates.
/// </summary>
/// <remarks>
/// ML.NET scores <c>raw = Bias + sum(TreeWeights[t] * tree_t(x))</c> and, with a Platt calibrator,
/// <c>p = 1 / (1 + exp(Slope * raw + Offset))</c>. The converted model folds the calibrator into the trees: its margin
/// (<see cref="TreeEnsembleModel.PredictRaw"/>) is <c>-(Slope * raw + Offset)</c> and its probability the sigmoid of that,
/// which is ML.NET's probability. Without a calibrator the margin is ML.NET's raw score. Splits keep ML.NET's float
/// thresholds and its rule (<c>value &lt;= threshold</c> goes left; NaN fails the test and goes right).
/// </remarks>
public static class MLNetTreeConverter
{
    /// <summary>Converts ML.NET tree-ensemble model parameters.</summary>
    /// <param name="model">The trained parameters, for example <c>transformer.Model.SubModel</c> of a FastTree or LightGBM binary model.</param>
    /// <param name="calibrator">The Platt calibrator ML.NET applies to the raw score (<c>transformer.Model.Calibrator</c>), or <see langword="null"/> when the margin is the raw score.</param>
    /// <param name="schema">The features of the vectors the model was trained on, in slot order.</param>
    /// <param name="learningRate">The shrinkage the model was trained with; later leaf refits and continued training use it.</param>
    /// <param name="trainingOptions">Name/value settings to keep with the model, or <see langword="null"/>.</param>
    /// <returns>A model that scores what ML.NET scores.</returns>
    /// <exception cref="NotSupportedException">A tree has a categorical split (ML.NET's categorical splits test groups of slots, which PatternQuality's trees do not represent).</exception>
    /// <exception cref="ArgumentException">A split uses a slot beyond <paramref name="schema"/>, or a value is not finite.</exception>
    public static TreeEnsembleModel Convert(
        TreeEnsembleModelParametersBasedOnRegressionTree model,
        PlattCalibrator? calibrator,
        FeatureSchema schema,
        double learningRate = 0.1,
        IEnumerable<KeyValuePair<string, string>>? trainingOptions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Convert(model.TrainedTreeEnsemble, calibrator, schema, learningRate, trainingOptions);
    }

    /// <summary>Converts ML.NET forest model parameters (FastForest's quantile regression trees).</summary>
    /// <param name="model">The trained parameters, for example <c>transformer.Model</c> of a FastForest binary model.</param>
    /// <param name="calibrator">The Platt calibrator fitted on the forest's score, or <see langword="null"/> when the margin is the raw score.</param>
    /// <param name="schema">The features of the vectors the model was trained on, in slot order.</param>
    /// <param name="learningRate">The shrinkage later leaf refits and continued training use.</param>
    /// <param name="trainingOptions">Name/value settings to keep with the model, or <see langword="null"/>.</param>
    /// <returns>A model that scores what ML.NET scores.</returns>
    /// <exception cref="NotSupportedException">A tree has a categorical split.</exception>
    /// <exception cref="ArgumentException">A split uses a slot beyond <paramref name="schema"/>, or a value is not finite.</exception>
    public static TreeEnsembleModel Convert(
        TreeEnsembleModelParametersBasedOnQuantileRegressionTree model,
        PlattCalibrator? calibrator,
        FeatureSchema schema,
        double learningRate = 0.1,
        IEnumerable<KeyValuePair<string, string>>? trainingOptions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Convert(model.TrainedTreeEnsemble, calibrator, schema, learningRate, trainingOptions);
    }

    private static TreeEnsembleModel Convert<TTree>(
        TreeEnsemble<TTree> ensemble,
        PlattCalibrator? calibrator,
        FeatureSchema schema,
        double learningRate,
        IEnumerable<KeyValuePair<string, string>>? trainingOptions)
        where TTree : RegressionTreeBase
    {
        ArgumentNullException.ThrowIfNull(schema);
        double scale = 1, offset = 0;
        if (calibrator is not null)
        {
            scale = -calibrator.Slope;
            offset = -calibrator.Offset;
        }

        var builder = new TreeEnsembleBuilder(schema)
        {
            BaseScore = (scale * ensemble.Bias) + offset,
            LearningRate = learningRate,
        };
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var weight = ensemble.TreeWeights[t] * scale;
            var splits = new TreeSplit[tree.NumberOfNodes];
            var missingValues = MissingValueReplacements(tree);
            for (var n = 0; n < splits.Length; n++)
            {
                if (tree.CategoricalSplitFlags[n])
                {
                    throw new NotSupportedException($"Tree {t}, node {n} is a categorical split; train without CategoricalSplit/UseCategoricalSplit to convert the model.");
                }

                splits[n] = new TreeSplit
                {
                    Feature = tree.NumericalSplitFeatureIndexes[n],
                    Threshold = Finite(tree.NumericalSplitThresholds[n]),
                    Left = tree.LeftChild[n],
                    Right = tree.RightChild[n],
                    // ML.NET reads a missing value as the node's replacement value when the tree has them (LightGBM
                    // models: the default side, or zero), and sends it right otherwise (FastTree: NaN <= t is false).
                    MissingGoesLeft = missingValues is not null && missingValues[n] <= tree.NumericalSplitThresholds[n],
                    Gain = tree.SplitGains[n],
                };
            }

            builder.AddTree(splits, tree.LeafValues.Select(v => v * weight).ToArray());
        }

        var options = new List<KeyValuePair<string, string>>(trainingOptions ?? [])
        {
            new("Source", "ML.NET"),
            new("PlattSlope", (calibrator?.Slope ?? double.NaN).ToString("R", CultureInfo.InvariantCulture)),
            new("PlattOffset", (calibrator?.Offset ?? double.NaN).ToString("R", CultureInfo.InvariantCulture)),
        };
        return builder.Build(options);
    }

    /// <summary>
    /// LightGBM writes a split that sends every value left with a threshold of 1e300; ML.NET narrows it to float and
    /// keeps +Infinity. Our model files hold finite thresholds only, so an infinite threshold becomes the largest
    /// finite float of the same sign: every finite value takes the same side as before (only an infinite feature
    /// value could differ).
    /// </summary>
    private static float Finite(float threshold) =>
        float.IsPositiveInfinity(threshold) ? float.MaxValue : float.IsNegativeInfinity(threshold) ? -float.MaxValue : threshold;

    /// <summary>
    /// The value ML.NET substitutes for a missing feature at each node (its internal tree's <c>DefaultValueForMissing</c> field,
    /// which the public model parameters do not expose), or <see langword="null"/> when the tree has none. Read by
    /// reflection against the pinned ML.NET version; the converter tests compare every score with ML.NET's on data with
    /// missing values, so a change in ML.NET's internals fails them rather than converting silently wrong.
    /// </summary>
    private static double[]? MissingValueReplacements(RegressionTreeBase tree)
    {
        const System.Reflection.BindingFlags Instance = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public;
        for (var type = tree.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(Instance | System.Reflection.BindingFlags.DeclaredOnly))
            {
                var member = field.FieldType.GetField("DefaultValueForMissing", Instance);
                if (member is null)
                {
                    continue;
                }

                return member.GetValue(field.GetValue(tree)) switch
                {
                    double[] d => d,
                    float[] f => Array.ConvertAll(f, v => (double)v),
                    _ => null,
                };
            }
        }

        return null;
    }
}
