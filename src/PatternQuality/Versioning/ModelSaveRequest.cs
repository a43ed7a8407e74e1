using PatternQuality.Feedback;

namespace PatternQuality.Versioning;

/// <summary>What the caller knows about a model it saves; the version manager adds the id, time and library version.</summary>
public sealed record ModelSaveRequest
{
    /// <summary>Gets the version this model was trained from, if any.</summary>
    /// <value>The default value is <see langword="null"/>; a proposal then records the active version as parent.</value>
    public string? ParentVersion { get; init; }

    /// <summary>Gets the hash of the feature schema the model reads.</summary>
    public string? SchemaHash { get; init; }

    /// <summary>Gets the feedback watermark the model has learned up to.</summary>
    /// <value>The default value is <see cref="FeedbackWatermark.Start"/>: no feedback.</value>
    public FeedbackWatermark Watermark { get; init; } = FeedbackWatermark.Start;

    /// <summary>Gets the number of rows the model was trained on.</summary>
    public long TrainingRows { get; init; }

    /// <summary>Gets the learner that built the model (for example <c>gbdt</c>).</summary>
    public string? Trainer { get; init; }

    /// <summary>Gets the learner's options, recorded under <see cref="ModelPropertyNames.TrainerOptionPrefix"/>.</summary>
    public IReadOnlyDictionary<string, string> TrainerOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the evaluation metrics (for example <c>auc</c>, <c>brier</c>, <c>ece</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets further free-form properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets a value indicating whether retention must never delete the version.</summary>
    public bool Pinned { get; init; }
}
