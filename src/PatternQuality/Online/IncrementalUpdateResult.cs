using System.Text.Json.Serialization;
using PatternQuality.Feedback;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>What one incremental update did; also the argument of <see cref="IncrementalLearner{TPattern}.ModelUpdated"/>.</summary>
public sealed record IncrementalUpdateResult
{
    /// <summary>Gets how many feedback records the update consumed (invalid ones included).</summary>
    public int BatchSize { get; init; }

    /// <summary>Gets a value indicating whether the update's candidate passed its guard and became the updated model; <see langword="false"/> when the guard kept the current one or there was nothing to learn.</summary>
    /// <remarks>An accepted update is served only while <see cref="ServesUpdatedModel"/> is <see langword="true"/>.</remarks>
    public bool Accepted { get; init; }

    /// <summary>
    /// Gets a value indicating whether the served model is the incrementally updated one after this update; <see langword="false"/>
    /// when the last fully trained model (the reference) is served because the updated model does not lead it or its
    /// excess-loss budget is spent (<see cref="IncrementalLearnerOptions.ServeOnlyWhenBetter"/>).
    /// </summary>
    public bool ServesUpdatedModel { get; init; }

    /// <summary>Gets how many trees the update added.</summary>
    public int TreesAdded { get; init; }

    /// <summary>Gets how many trees the incrementally updated model holds after the update, whether it or the last fully trained model is served (<see cref="ServesUpdatedModel"/>).</summary>
    public int TreeCount { get; init; }

    /// <summary>Gets how long the update took (feature extraction, scoring and learning).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the watermark after the update: every record up to it has been consumed.</summary>
    public FeedbackWatermark Watermark { get; init; } = FeedbackWatermark.Start;

    /// <summary>Gets the current model's log loss on the rows held back to guard the update; NaN without a guard.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double CurrentLoss { get; init; } = double.NaN;

    /// <summary>Gets the candidate's log loss on the rows held back to guard the update; NaN without a guard.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double CandidateLoss { get; init; } = double.NaN;

    /// <summary>Gets a value indicating whether the batch raised a drift alarm on the prequential loss.</summary>
    public bool DriftDetected { get; init; }

    /// <summary>Gets the ids of records whose features could not be extracted; they were consumed, logged and not learned from.</summary>
    public IReadOnlyList<string> InvalidRecordIds { get; init; } = [];

    /// <summary>Gets the version saved after the update, or <see langword="null"/> when no snapshot was due.</summary>
    public string? SnapshotVersion { get; init; }

    /// <summary>Gets why nothing was learned or the candidate was rejected; <see langword="null"/> when all went as planned.</summary>
    public string? Note { get; init; }
}
