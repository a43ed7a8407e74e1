using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>Settings of <see cref="IncrementalLearner{TPattern}"/>: how each update learns, guards and grows the model.</summary>
/// <remarks>
/// Each update continues boosting on the new feedback plus a replay window of the most recent rows (a few small, slow
/// trees), optionally refits leaf values with decay, recalibrates with Platt scaling on the window and keeps the current
/// model when the candidate scores worse on a held-back slice of the newest rows. The defaults were chosen by
/// measurement with <c>pq replay</c>; see <c>docs/incremental.md</c>. Validated from the data
/// annotations at host start-up (<c>ValidateOnStart</c>) and by the learner alike; every out-of-range setting is reported
/// in one <see cref="OptionsValidationException"/>.
/// </remarks>
public class IncrementalLearnerOptions
{
    /// <summary>Gets or sets how many trees each update adds (boosting rounds on the replay window); 0 adds none and only refits and recalibrates.</summary>
    /// <value>The default value is 3. Allowed: 0 to 100.</value>
    [Range(0, 100)]
    public int NumberOfTreesPerUpdate { get; set; } = 3;

    /// <summary>Gets or sets the maximum number of leaves of a tree added by an update.</summary>
    /// <value>The default value is 8. Allowed: 2 to 1024.</value>
    [Range(2, 1024)]
    public int NumberOfLeaves { get; set; } = 8;

    /// <summary>Gets or sets the minimum number of replayed rows in a leaf of a tree added by an update.</summary>
    /// <value>The default value is 40. Allowed: 1 to 100000.</value>
    [Range(1, 100_000)]
    public int MinimumExampleCountPerLeaf { get; set; } = 40;

    /// <summary>Gets or sets the shrinkage of the trees added by an update.</summary>
    /// <value>The default value is 0.05. Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double LearningRate { get; set; } = 0.05;

    /// <summary>Gets or sets the L2 penalty on the leaf values of the trees added by an update.</summary>
    /// <value>The default value is 1. Allowed: 0 to 1e6.</value>
    [Range(0.0, 1e6)]
    public double L2Regularization { get; set; } = 1.0;

    /// <summary>Gets or sets how many of the most recent rows (the new batch included) each update learns from.</summary>
    /// <value>The default value is 4,000. Allowed: 10 to 1,000,000.</value>
    /// <remarks>The window keeps the trees added per update from chasing the noise of one small batch; older rows reach the model only through the trees already in it.</remarks>
    [Range(10, 1_000_000)]
    public int ReplayWindowSize { get; set; } = 4_000;

    /// <summary>Gets or sets the age (in rows) at which a replayed row weighs half as much as the newest one; 0 weighs every window row alike.</summary>
    /// <value>The default value is 0. Allowed: 0 to 10,000,000.</value>
    /// <remarks>Lets a large window keep old rows as a brake on overfitting while the newest rows steer the update.</remarks>
    [Range(0, 10_000_000)]
    public int ReplayHalfLife { get; set; }

    /// <summary>Gets or sets the weight of the old leaf values when an update refits every tree's leaves on the replay window; <see langword="null"/> turns the refit off.</summary>
    /// <value>The default value is <see langword="null"/> (off: it did not pay for its cost in the replay measurements). Allowed: 0 to 1.</value>
    [Range(0.0, 1.0)]
    public double? LeafRefitDecay { get; set; }

    /// <summary>Gets or sets a value indicating whether each update refits a Platt calibrator on the replay window.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Recalibrate { get; set; } = true;

    /// <summary>Gets or sets the share of each batch (its newest rows) held back from that update to compare the candidate with the current model; 0 turns the guard off.</summary>
    /// <value>The default value is 0.3. Allowed: 0 to 0.9.</value>
    /// <remarks>Held-back rows are learned from by the next update, so nothing is lost: learning is delayed by one update.</remarks>
    [Range(0.0, 0.9)]
    public double GuardFraction { get; set; } = 0.3;

    /// <summary>Gets or sets how much worse (in log loss, nats per row) the candidate may score on the held-back rows and still replace the current model.</summary>
    /// <value>The default value is 0.01. Allowed: 0 to 10.</value>
    /// <remarks>A small tolerance keeps the noise of a few dozen held-back rows from rejecting most updates.</remarks>
    [Range(0.0, 10.0)]
    public double GuardTolerance { get; set; } = 0.01;

    /// <summary>
    /// Gets or sets a value indicating whether the updated model is served only while it does better, on feedback
    /// neither model had learned from, than the last fully trained model (the reference, which stands still).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// Both models score every batch before either learns from it. The updated model is served while it leads (its
    /// summed log loss since it last started from the reference is lower than the reference's) and the excess loss
    /// already paid for serving it is within <see cref="ServingTolerance"/> per streamed row; otherwise the reference
    /// is served. So after a cold start a better updated model is served from its first leading batch. When an
    /// always-valid sequential test (significance <see cref="ServingSignificance"/>) says the updated model is worse,
    /// it restarts from the reference. So the served model's prequential log loss stays
    /// within <see cref="ServingTolerance"/> per row (plus one batch) of the reference's on any stream; see
    /// docs/incremental.md. <see langword="false"/> serves every accepted update (every update the guard accepts is served).
    /// </remarks>
    public bool ServeOnlyWhenBetter { get; set; } = true;

    /// <summary>Gets or sets the excess log loss per streamed row (nats) that serving the updated model may cost, in total, against the reference.</summary>
    /// <value>The default value is 0.001. Allowed: 0 to 1.</value>
    /// <remarks>The allowance grows with every streamed row; gains from serving the updated model earn room too.</remarks>
    [Range(0.0, 1.0)]
    public double ServingTolerance { get; set; } = 0.001;

    /// <summary>Gets or sets the significance of the sequential test that decides when the updated model is worse than the reference (and restarts it).</summary>
    /// <value>The default value is 0.05. Allowed: greater than 0, at most 0.5.</value>
    /// <remarks>The boundary is valid at every batch at once, so checking after each batch does not inflate this error.</remarks>
    [Range(0.0, 0.5, MinimumIsExclusive = true)]
    public double ServingSignificance { get; set; } = 0.05;

    /// <summary>Gets or sets the most trees the model may hold before it needs compacting by a full retrain off the hot path.</summary>
    /// <value>The default value is 1,000. Allowed: 1 to 100,000.</value>
    /// <remarks>
    /// Past it, updates stop adding trees (they still refit leaves and recalibrate) until a full retrain replaces the
    /// model, so scoring cost stays bounded.
    /// </remarks>
    [Range(1, 100_000)]
    public int MaximumTreeCount { get; set; } = 1_000;

    /// <summary>Gets or sets the most feedback records one update learns from; a larger backlog is split over several updates.</summary>
    /// <value>The default value is 1,000. Allowed: 1 to 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int MaximumBatchSize { get; set; } = 1_000;

    /// <summary>Gets or sets how long an update may take before it is reported as slow (warning log, <c>SlowUpdate</c> event, counter).</summary>
    /// <value>The default value is 5 seconds (seed story 001's limit for 100 records). Allowed: 1 ms to 1 hour, or <see cref="Timeout.InfiniteTimeSpan"/> for no budget.</value>
    [TimeSpanRange("00:00:00.001", "01:00:00", AllowInfinite = true)]
    public TimeSpan UpdateBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets after how many accepted updates a version is saved to the version manager; 0 saves by time only.</summary>
    /// <value>The default value is 10. Allowed: 0 to 1,000,000.</value>
    [Range(0, 1_000_000)]
    public int SnapshotEveryUpdates { get; set; } = 10;

    /// <summary>Gets or sets how long after the last saved version an accepted update saves a new one, whatever the count.</summary>
    /// <value>The default value is 1 hour. Allowed: 1 second to 30 days, or <see cref="Timeout.InfiniteTimeSpan"/> to save by count only.</value>
    [TimeSpanRange("00:00:01", "30.00:00:00", AllowInfinite = true)]
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how often the learner's <see cref="IncrementalLearner{TPattern}.RunAsync"/> loop checks the store for a version activated by someone else (a promotion, a rollback, another process) and adopts it.</summary>
    /// <value>The default value is 1 second. Allowed: 100 ms to 5 minutes, or <see cref="Timeout.InfiniteTimeSpan"/> to check only before publishing an update.</value>
    /// <remarks>Every update also checks right before it publishes, so an update never lands over a newer activation whatever this is.</remarks>
    [TimeSpanRange("00:00:00.1", "00:05:00", AllowInfinite = true)]
    public TimeSpan ActiveVersionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many recent records the rolling prequential metrics cover.</summary>
    /// <value>The default value is 1,000. Allowed: 10 to 10,000,000.</value>
    [Range(10, 10_000_000)]
    public int PrequentialWindowSize { get; set; } = 1_000;

    /// <summary>Gets or sets the random seed of the tree learner.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the settings of the bounded feedback buffer.</summary>
    /// <value>The default value is a <see cref="FeedbackCollectorOptions"/> with its defaults.</value>
    [Required]
    [ValidateObjectMembers(typeof(FeedbackCollectorOptionsValidator))]
    public FeedbackCollectorOptions Collector { get; set; } = new();

    /// <summary>Gets or sets when the background loop (<see cref="IncrementalLearner{TPattern}.RunAsync"/>) runs an update.</summary>
    /// <value>The default value is an <see cref="UpdateTriggerOptions"/> with a count threshold of 100 and a maximum age of 15 minutes.</value>
    [Required]
    [ValidateObjectMembers(typeof(UpdateTriggerOptionsValidator))]
    public UpdateTriggerOptions Trigger { get; set; } = new() { CountThreshold = 100 };

    /// <summary>Throws when a setting is out of range, naming every such setting (nested ones included) and its allowed range.</summary>
    /// <remarks>
    /// Runs <see cref="IncrementalLearnerOptionsValidator"/>, generated from the data annotations, and the rule that the
    /// trigger's count threshold fits in the collector: the validators <c>ValidateOnStart</c> runs in a host, so both
    /// report the same problems in the same words.
    /// </remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new IncrementalLearnerOptionsValidator(), new IncrementalLearnerTriggerCapacityValidator());

    internal IncrementalLearnerOptions Clone()
    {
        var clone = (IncrementalLearnerOptions)MemberwiseClone();
        // Null nested options survive the copy, so validation reports them instead of a NullReferenceException here.
        clone.Collector = Collector?.Clone()!;
        clone.Trigger = Trigger?.Clone()!;
        return clone;
    }
}

/// <summary>
/// Checks the data annotations of <see cref="IncrementalLearnerOptions"/> and, through their own validators, of
/// <see cref="IncrementalLearnerOptions.Collector"/> and <see cref="IncrementalLearnerOptions.Trigger"/>; generated at
/// compile time (no reflection).
/// </summary>
[OptionsValidator]
internal sealed partial class IncrementalLearnerOptionsValidator : IValidateOptions<IncrementalLearnerOptions>;

/// <summary>
/// The rule between two nested settings that data annotations cannot state: a full collector must be able to trigger an
/// update, so the trigger's count threshold may not exceed the collector's capacity.
/// </summary>
internal sealed class IncrementalLearnerTriggerCapacityValidator : IValidateOptions<IncrementalLearnerOptions>
{
    public ValidateOptionsResult Validate(string? name, IncrementalLearnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Trigger is not { } trigger || options.Collector is not { } collector || trigger.CountThreshold <= collector.Capacity)
        {
            return ValidateOptionsResult.Success; // a missing nested object is reported by the generated validator
        }

        var prefix = string.IsNullOrEmpty(name) ? nameof(IncrementalLearnerOptions) : name;
        return ValidateOptionsResult.Fail(
            $"{prefix}.{nameof(options.Trigger)}.{nameof(UpdateTriggerOptions.CountThreshold)} ({trigger.CountThreshold}) exceeds {prefix}.{nameof(options.Collector)}.{nameof(FeedbackCollectorOptions.Capacity)} ({collector.Capacity}): a full buffer would never trigger an update.");
    }
}
