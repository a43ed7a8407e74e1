using PatternQuality.Data;
using PatternQuality.Serialization;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>A trained multiclass gradient-boosted model (softmax over one score per class). Immutable and thread-safe.</summary>
public sealed class MulticlassTreeEnsembleModel
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _options;
    private TreeShap? _shap;

    internal MulticlassTreeEnsembleModel(FeatureSchema schema, TreeEnsemble ensemble, IReadOnlyList<KeyValuePair<string, string>> options, IReadOnlyList<string> warnings)
    {
        Schema = schema;
        Ensemble = ensemble;
        _options = options;
        TrainingWarnings = warnings;
    }

    /// <summary>Gets the schema of the vectors the model reads.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Gets the number of classes (labels 0 to ClassCount - 1).</summary>
    public int ClassCount => Ensemble.ClassCount;

    /// <summary>Gets the number of trees (rounds times classes).</summary>
    public int TreeCount => Ensemble.Trees.Length;

    /// <summary>Gets notes from training (not saved in the model file).</summary>
    public IReadOnlyList<string> TrainingWarnings { get; }

    internal TreeEnsemble Ensemble { get; }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <param name="stream">The stream to read to its end.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The data is not a valid multiclass tree model file.</exception>
    public static MulticlassTreeEnsembleModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (schema, ensemble, options) = TreeEnsembleFormat.Load(ModelFileReader.Read(stream));
        if (ensemble.Kind != EnsembleKind.BoostedMulticlass)
        {
            throw new ModelFormatException($"The file holds a binary model; load it with {nameof(TreeEnsembleModel)}.{nameof(TreeEnsembleModel.Load)}.");
        }

        return new MulticlassTreeEnsembleModel(schema, ensemble, options, []);
    }

    /// <summary>Writes the probability of each class; allocates nothing.</summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <param name="destination">Receives <see cref="ClassCount"/> probabilities summing to 1.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void PredictClassProbabilities(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (features.Length != Schema.Count)
        {
            throw new ArgumentException($"The vector has {features.Length} values; the model's schema has {Schema.Count} features.", nameof(features));
        }

        if (destination.Length != ClassCount)
        {
            throw new ArgumentException($"The destination has room for {destination.Length} values; the model has {ClassCount} classes.", nameof(destination));
        }

        var k = ClassCount;
        Span<double> scores = k <= 128 ? stackalloc double[k] : new double[k];
        Ensemble.PredictMulticlassRaw(features, scores);
        SoftmaxObjective.Softmax(scores, scores);
        for (var c = 0; c < k; c++)
        {
            destination[c] = (float)scores[c];
        }
    }

    /// <summary>Returns the most probable class.</summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <returns>The class index.</returns>
    public int PredictClass(ReadOnlySpan<float> features)
    {
        Span<float> p = ClassCount <= 128 ? stackalloc float[ClassCount] : new float[ClassCount];
        PredictClassProbabilities(features, p);
        var best = 0;
        for (var c = 1; c < p.Length; c++)
        {
            if (p[c] > p[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// Writes the exact path-dependent TreeSHAP contributions of one row to each class's raw (softmax input) score:
    /// for class c, values [c * (F + 1), (c + 1) * (F + 1)) hold the F feature contributions then the class's bias, and
    /// they sum to the class's raw score.
    /// </summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <param name="destination">Receives <see cref="ClassCount"/> * (<see cref="FeatureSchema.Count"/> + 1) values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void PredictContributions(ReadOnlySpan<float> features, Span<double> destination)
    {
        if (features.Length != Schema.Count)
        {
            throw new ArgumentException($"The vector has {features.Length} values; the model's schema has {Schema.Count} features.", nameof(features));
        }

        var needed = ClassCount * (Schema.Count + 1);
        if (destination.Length != needed)
        {
            throw new ArgumentException($"The destination has room for {destination.Length} values; contributions need {needed} ({ClassCount} classes of {Schema.Count} features and a bias).", nameof(destination));
        }

        Explainer.Explain(features, destination);
    }

    /// <summary>Writes the raw (softmax input) score of each class; allocates nothing.</summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <param name="destination">Receives <see cref="ClassCount"/> scores.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void PredictRaw(ReadOnlySpan<float> features, Span<double> destination)
    {
        if (features.Length != Schema.Count)
        {
            throw new ArgumentException($"The vector has {features.Length} values; the model's schema has {Schema.Count} features.", nameof(features));
        }

        if (destination.Length != ClassCount)
        {
            throw new ArgumentException($"The destination has room for {destination.Length} values; the model has {ClassCount} classes.", nameof(destination));
        }

        Ensemble.PredictMulticlassRaw(features, destination);
    }

    internal TreeShap Explainer => _shap ??= new TreeShap(Ensemble, Schema.Count);

    /// <summary>Returns each feature's importance, keyed by feature name.</summary>
    /// <returns>One entry per schema feature.</returns>
    public IReadOnlyDictionary<string, FeatureImportance> GetFeatureImportance() => FeatureImportance.Compute(Schema, Ensemble.Trees);

    /// <summary>Writes the model file to a stream.</summary>
    /// <param name="stream">The destination.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes());
    }

    /// <summary>Serializes the model (the bytes <see cref="Save"/> writes).</summary>
    internal byte[] ToBytes() => TreeEnsembleFormat.Save(Schema, Ensemble, _options);
}
