using PatternQuality.Data;

namespace PatternQuality.Scoring;

/// <summary>Describes a trained model: what it reads, where it came from and how good it was.</summary>
public sealed record ModelInfo
{
    /// <summary>Initializes a new instance of the <see cref="ModelInfo"/> class.</summary>
    /// <param name="schema">The schema of the vectors the model reads.</param>
    /// <param name="trainer">The learner that built it (for example <c>gbdt</c>, <c>forest</c>, <c>online-linear</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="trainer"/> is empty.</exception>
    public ModelInfo(FeatureSchema schema, string trainer)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(trainer);
        Schema = schema;
        Trainer = trainer;
    }

    /// <summary>Gets the schema of the vectors the model reads.</summary>
    public FeatureSchema Schema { get; init; }

    /// <summary>Gets the learner that built the model.</summary>
    public string Trainer { get; init; }

    /// <summary>Gets the version identifier, once the model has been stored; otherwise <see langword="null"/>.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the evaluation metrics recorded when the model was built (for example <c>auc</c>, <c>brier</c>, <c>ece</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets when the model was built.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
