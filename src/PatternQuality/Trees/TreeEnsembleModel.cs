using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.Serialization;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// A trained binary tree ensemble (gradient-boosted or random forest). Immutable and thread-safe: any number of
/// threads may score while another trains or refits a new model from it.
/// </summary>
/// <remarks>
/// Single-row scoring allocates nothing. Batch scoring spreads rows over every core. Save with <see cref="Save"/> and
/// read back with <see cref="Load(Stream)"/>; a round trip reproduces every prediction bit for bit.
/// </remarks>
public sealed class TreeEnsembleModel : IPredictor
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _options;
    private IReadOnlyDictionary<string, FeatureImportance>? _importance;
    private TreeShap? _shap;

    internal TreeEnsembleModel(FeatureSchema schema, TreeEnsemble ensemble, IReadOnlyList<KeyValuePair<string, string>> options, IReadOnlyList<string> warnings)
    {
        Schema = schema;
        Ensemble = ensemble;
        _options = options;
        TrainingWarnings = warnings;
    }

    /// <inheritdoc />
    public FeatureSchema Schema { get; }

    /// <summary>Gets the number of trees.</summary>
    public int TreeCount => Ensemble.Trees.Length;

    /// <summary>Gets a value indicating whether this is a random forest (probability = mean leaf class fraction) rather than a boosted model.</summary>
    public bool IsRandomForest => Ensemble.Kind == EnsembleKind.Forest;

    /// <summary>
    /// Gets a value indicating whether this is a ranking model (LambdaRank): <see cref="PredictRaw"/> orders documents
    /// within a query, and <see cref="PredictProbability(ReadOnlySpan{float})"/> is only the logistic of that score, not a calibrated probability.
    /// </summary>
    public bool IsRanking => Ensemble.Kind == EnsembleKind.BoostedRanking;

    /// <summary>Gets notes from training, such as a training set too small to split (the model is then a stump). Not saved in the model file.</summary>
    public IReadOnlyList<string> TrainingWarnings { get; }

    /// <summary>Gets the learner settings the model was trained with, as invariant name/value text.</summary>
    public IReadOnlyDictionary<string, string> TrainingOptions => _options.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    internal TreeEnsemble Ensemble { get; }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <param name="stream">The stream to read to its end.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The data is not a PatternQuality model file, is truncated or corrupted, has an unsupported version, or holds a multiclass model.</exception>
    public static TreeEnsembleModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return FromReader(ModelFileReader.Read(stream));
    }

    /// <summary>Loads a model from the bytes <see cref="ToBytes"/> returned.</summary>
    /// <param name="data">The whole file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The data is not a valid binary tree model file.</exception>
    public static TreeEnsembleModel Load(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromReader(ModelFileReader.Parse(data));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The vector's length differs from the schema's feature count.</exception>
    public float PredictProbability(ReadOnlySpan<float> features)
    {
        CheckRow(features.Length);
        return Ensemble.PredictBinaryProbability(features);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spans' lengths do not agree with the schema.</exception>
    public void PredictProbability(ReadOnlySpan<float> features, Span<float> destination)
    {
        var f = Schema.Count;
        if ((long)destination.Length * f != features.Length)
        {
            throw new ArgumentException(
                $"{features.Length} feature values do not make {destination.Length} rows of {f} features.", nameof(features));
        }

        if (destination.Length <= BatchScoring.SequentialRows)
        {
            // Small batches score on the calling thread without the parallel path's closure: nothing is allocated.
            Ensemble.PredictBinaryProbabilities(features, f, destination);
            return;
        }

        ScoreInParallel(Ensemble, features, destination, f);
    }

    // A method of its own: the closure's captured variables would otherwise be allocated on entry, even for small batches.
    private static void ScoreInParallel(TreeEnsemble ensemble, ReadOnlySpan<float> features, Span<float> destination, int f) =>
        BatchScoring.Score(features, destination, f, 1, (rows, dest) => ensemble.PredictBinaryProbabilities(rows, f, dest));

    /// <summary>Returns the raw score: the margin (log-odds) of a boosted model, the mean leaf fraction of a forest, the ranking score of a ranking model.</summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <returns>The raw score.</returns>
    /// <exception cref="ArgumentException">The vector's length differs from the schema's feature count.</exception>
    public double PredictRaw(ReadOnlySpan<float> features)
    {
        CheckRow(features.Length);
        return Ensemble.PredictBinaryRaw(features);
    }

    /// <summary>
    /// Writes the exact path-dependent TreeSHAP contribution of every feature to <see cref="PredictRaw"/> for one row,
    /// then the bias (the expected raw score over the training data): <see cref="FeatureSchema.Count"/> + 1 values
    /// that sum to the raw score. For a boosted model they are in log-odds; for a forest in probability.
    /// </summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <param name="destination">Receives <see cref="FeatureSchema.Count"/> + 1 values, the bias last (XGBoost's <c>pred_contribs</c> layout).</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <remarks>Thread-safe; allocates nothing after the first call (which builds the explainer once per model).</remarks>
    public void PredictContributions(ReadOnlySpan<float> features, Span<double> destination)
    {
        CheckRow(features.Length);
        if (destination.Length != Schema.Count + 1)
        {
            throw new ArgumentException($"The destination has room for {destination.Length} values; contributions need {Schema.Count + 1} (one per feature and the bias).", nameof(destination));
        }

        Explainer.Explain(features, destination);
    }

    internal TreeShap Explainer => _shap ??= new TreeShap(Ensemble, Schema.Count);

    /// <summary>Returns each feature's importance (split gain and split count), keyed by feature name; unused features have zeros.</summary>
    /// <returns>One entry per schema feature.</returns>
    public IReadOnlyDictionary<string, FeatureImportance> GetFeatureImportance()
        => _importance ??= FeatureImportance.Compute(Schema, Ensemble.Trees);

    /// <summary>Returns a model made of the first <paramref name="treeCount"/> trees (to compact a model grown by continued training).</summary>
    /// <param name="treeCount">How many trees to keep, from 0 to <see cref="TreeCount"/>.</param>
    /// <returns>The smaller model.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeCount"/> is out of range.</exception>
    public TreeEnsembleModel TakeFirst(int treeCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeCount, TreeCount);
        return new TreeEnsembleModel(Schema, Ensemble.TakeFirst(treeCount), _options, TrainingWarnings);
    }

    /// <summary>
    /// Keeps every tree's structure and re-estimates its leaf values on <paramref name="data"/>, blending old and new:
    /// <c>value = decay * old + (1 - decay) * new</c>. Leaves no row reaches keep their value.
    /// </summary>
    /// <param name="data">Labelled rows (0/1) with this model's schema.</param>
    /// <param name="decay">Weight of the old leaf values, from 0 (replace) to 1 (keep).</param>
    /// <param name="cancellationToken">Stops the refit.</param>
    /// <returns>The refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The data is empty or has labels other than 0 and 1.</exception>
    /// <exception cref="InvalidOperationException">The model is a random forest.</exception>
    /// <exception cref="SchemaMismatchException">The data's schema differs from the model's.</exception>
    public TreeEnsembleModel RefitLeaves(Dataset data, double decay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(decay >= 0 && decay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be between 0 and 1.");
        }

        if (IsRandomForest || IsRanking)
        {
            throw new InvalidOperationException(IsRanking
                ? "RefitLeaves applies to binary boosted models; a ranking model's leaves were fitted to pairwise lambdas, not to log loss."
                : "RefitLeaves applies to boosted models; a random forest has no additive leaf values to refit.");
        }

        Schema.EnsureCompatible(data.Schema);
        if (data.RowCount == 0)
        {
            throw new ArgumentException("The refit data has no rows.", nameof(data));
        }

        BinaryLogLossObjective.Instance.CheckLabels(data.Labels.Span, nameof(data));
        var trees = LeafRefit.Refit(Ensemble, data, decay, cancellationToken);
        return new TreeEnsembleModel(Schema, Ensemble.WithTrees(trees), _options, []);
    }

    /// <summary>Returns the trees as plain data for exporters (ONNX) that live outside this folder.</summary>
    internal TreeEnsembleExport ToExport()
    {
        var trees = new ExportedTree[Ensemble.Trees.Length];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = Ensemble.Trees[t];
            var splits = new ExportedSplit[tree.Nodes.Length];
            for (var i = 0; i < splits.Length; i++)
            {
                var n = tree.Nodes[i];
                List<int>? categories = null;
                if (n.IsCategorical)
                {
                    categories = [];
                    for (var w = 0; w < n.CategoryWordCount; w++)
                    {
                        var word = tree.CategoryBits[n.CategoryStart + w];
                        for (var b = 0; b < 32; b++)
                        {
                            if ((word & (1u << b)) != 0)
                            {
                                categories.Add((w * 32) + b);
                            }
                        }
                    }
                }

                splits[i] = new ExportedSplit(n.Feature, n.Threshold, n.Left, n.Right, n.DefaultLeft, categories);
            }

            trees[t] = new ExportedTree(splits, tree.LeafValues.ToArray());
        }

        return new TreeEnsembleExport(IsRandomForest, Ensemble.BaseScores[0], trees);
    }

    /// <summary>Writes the model file (schema, trees, training options, SHA-256 checksum) to a stream.</summary>
    /// <param name="stream">The destination.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes());
    }

    /// <summary>Returns the model file as bytes.</summary>
    /// <returns>The whole file.</returns>
    public byte[] ToBytes() => TreeEnsembleFormat.Save(Schema, Ensemble, _options);

    private static TreeEnsembleModel FromReader(ModelFileReader reader)
    {
        var (schema, ensemble, options) = TreeEnsembleFormat.Load(reader);
        if (ensemble.Kind == EnsembleKind.BoostedMulticlass)
        {
            throw new ModelFormatException($"The file holds a multiclass model ({ensemble.ClassCount} classes); load it with {nameof(MulticlassTreeEnsembleModel)}.{nameof(MulticlassTreeEnsembleModel.Load)}.");
        }

        return new TreeEnsembleModel(schema, ensemble, options, []);
    }

    private void CheckRow(int length)
    {
        if (length != Schema.Count)
        {
            ThrowRowLength(length);
        }
    }

    private void ThrowRowLength(int length)
        => throw new ArgumentException($"The vector has {length} values; the model's schema has {Schema.Count} features.", "features");
}
