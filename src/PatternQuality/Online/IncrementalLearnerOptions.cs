using System.Globalization;
using Microsoft.Extensions.Options;

namespace PatternQuality.Online;

/// <summary>Settings of <see cref="IncrementalLearner{TPattern}"/>: how each update learns, guards and grows the model.</summary>
/// <remarks>
/// Each update continues boosting on the new feedback plus a replay window of the most recent rows (a few small, slow
/// trees), optionally refits leaf values with decay, recalibrates with Platt scaling on the window and keeps the current
/// model when the candidate scores worse on a held-back slice of the newest rows. The defaults were chosen by
/// measurement with <c>pq replay</c>; see <c>docs/incremental.md</c>. Call <see cref="Validate"/> (the learner does) to
/// get every out-of-range setting in one exception.
/// </remarks>
public class IncrementalLearnerOptions
{
    /// <summary>Gets or sets how many trees each update adds (boosting rounds on the replay window); 0 adds none and only refits and recalibrates.</summary>
    /// <value>The default value is 3. Allowed: 0 to 100.</value>
    public int NumberOfTreesPerUpdate { get; set; } = 3;

    /// <summary>Gets or sets the maximum number of leaves of a tree added by an update.</summary>
    /// <value>The default value is 8. Allowed: 2 to 1024.</value>
    public int NumberOfLeaves { get; set; } = 8;

    /// <summary>Gets or sets the minimum number of replayed rows in a leaf of a tree added by an update.</summary>
    /// <value>The default value is 40. Allowed: 1 to 100000.</value>
    public int MinimumExampleCountPerLeaf { get; set; } = 40;

    /// <summary>Gets or sets the shrinkage of the trees added by an update.</summary>
    /// <value>The default value is 0.05. Allowed: greater than 0, at most 1.</value>
    public double LearningRate { get; set; } = 0.05;

    /// <summary>Gets or sets the L2 penalty on the leaf values of the trees added by an update.</summary>
    /// <value>The default value is 1. Allowed: 0 to 1e6.</value>
    public double L2Regularization { get; set; } = 1.0;

    /// <summary>Gets or sets how many of the most recent rows (the new batch included) each update learns from.</summary>
    /// <value>The default value is 4,000. Allowed: 10 to 1,000,000.</value>
    /// <remarks>The window keeps the trees added per update from chasing the noise of one small batch; older rows reach the model only through the trees already in it.</remarks>
    public int ReplayWindowSize { get; set; } = 4_000;

    /// <summary>Gets or sets the age (in rows) at which a replayed row weighs half as much as the newest one; 0 weighs every window row alike.</summary>
    /// <value>The default value is 0. Allowed: 0 to 10,000,000.</value>
    /// <remarks>Lets a large window keep old rows as a brake on overfitting while the newest rows steer the update.</remarks>
    public int ReplayHalfLife { get; set; }

    /// <summary>Gets or sets the weight of the old leaf values when an update refits every tree's leaves on the replay window; <see langword="null"/> turns the refit off.</summary>
    /// <value>The default value is <see langword="null"/> (off: it did not pay for its cost in the replay measurements). Allowed: 0 to 1.</value>
    public double? LeafRefitDecay { get; set; }

    /// <summary>Gets or sets a value indicating whether each update refits a Platt calibrator on the replay window.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Recalibrate { get; set; } = true;

    /// <summary>Gets or sets the share of each batch (its newest rows) held back from that update to compare the candidate with the current model; 0 turns the guard off.</summary>
    /// <value>The default value is 0.3. Allowed: 0 to 0.9.</value>
    /// <remarks>Held-back rows are learned from by the next update, so nothing is lost: learning is delayed by one update.</remarks>
    public double GuardFraction { get; set; } = 0.3;

    /// <summary>Gets or sets how much worse (in log loss, nats per row) the candidate may score on the held-back rows and still replace the current model.</summary>
    /// <value>The default value is 0.01. Allowed: 0 to 10.</value>
    /// <remarks>A small tolerance keeps the noise of a few dozen held-back rows from rejecting most updates.</remarks>
    public double GuardTolerance { get; set; } = 0.01;

    /// <summary>Gets or sets the most trees the model may hold before it needs compacting by a full retrain off the hot path.</summary>
    /// <value>The default value is 1,000. Allowed: 1 to 100,000.</value>
    /// <remarks>
    /// Past it, updates stop adding trees (they still refit leaves and recalibrate) until a full retrain replaces the
    /// model, so scoring cost stays bounded.
    /// </remarks>
    public int MaximumTreeCount { get; set; } = 1_000;

    /// <summary>Gets or sets the most feedback records one update learns from; a larger backlog is split over several updates.</summary>
    /// <value>The default value is 1,000. Allowed: 1 to 1,000,000.</value>
    public int MaximumBatchSize { get; set; } = 1_000;

    /// <summary>Gets or sets how long an update may take before it is reported as slow (warning log, <c>SlowUpdate</c> event, counter).</summary>
    /// <value>The default value is 5 seconds (seed story 001's limit for 100 records). Allowed: 1 ms to 1 hour, or <see cref="Timeout.InfiniteTimeSpan"/> for no budget.</value>
    public TimeSpan UpdateBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets after how many accepted updates a version is saved to the version manager; 0 saves by time only.</summary>
    /// <value>The default value is 10. Allowed: 0 to 1,000,000.</value>
    public int SnapshotEveryUpdates { get; set; } = 10;

    /// <summary>Gets or sets how long after the last saved version an accepted update saves a new one, whatever the count.</summary>
    /// <value>The default value is 1 hour. Allowed: 1 second to 30 days, or <see cref="Timeout.InfiniteTimeSpan"/> to save by count only.</value>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how often the learner's <see cref="IncrementalLearner{TPattern}.RunAsync"/> loop checks the store for a version activated by someone else (a promotion, a rollback, another process) and adopts it.</summary>
    /// <value>The default value is 1 second. Allowed: 100 ms to 5 minutes, or <see cref="Timeout.InfiniteTimeSpan"/> to check only before publishing an update.</value>
    /// <remarks>Every update also checks right before it publishes, so an update never lands over a newer activation whatever this is.</remarks>
    public TimeSpan ActiveVersionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many recent records the rolling prequential metrics cover.</summary>
    /// <value>The default value is 1,000. Allowed: 10 to 10,000,000.</value>
    public int PrequentialWindowSize { get; set; } = 1_000;

    /// <summary>Gets or sets the random seed of the tree learner.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the settings of the bounded feedback buffer.</summary>
    /// <value>The default value is a <see cref="FeedbackCollectorOptions"/> with its defaults.</value>
    public FeedbackCollectorOptions Collector { get; set; } = new();

    /// <summary>Gets or sets when the background loop (<see cref="IncrementalLearner{TPattern}.RunAsync"/>) runs an update.</summary>
    /// <value>The default value is an <see cref="UpdateTriggerOptions"/> with a count threshold of 100 and a maximum age of 15 minutes.</value>
    public UpdateTriggerOptions Trigger { get; set; } = new() { CountThreshold = 100 };

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        Range(errors, nameof(NumberOfTreesPerUpdate), NumberOfTreesPerUpdate, 0, 100);
        Range(errors, nameof(NumberOfLeaves), NumberOfLeaves, 2, 1024);
        Range(errors, nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf, 1, 100_000);
        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            errors.Add($"{nameof(LearningRate)} is {Text(LearningRate)}; allowed: greater than 0, at most 1.");
        }

        Between(errors, nameof(L2Regularization), L2Regularization, 0, 1e6);
        Range(errors, nameof(ReplayWindowSize), ReplayWindowSize, 10, 1_000_000);
        Range(errors, nameof(ReplayHalfLife), ReplayHalfLife, 0, 10_000_000);
        if (LeafRefitDecay is { } decay)
        {
            Between(errors, nameof(LeafRefitDecay), decay, 0, 1);
        }

        Between(errors, nameof(GuardFraction), GuardFraction, 0, 0.9);
        Between(errors, nameof(GuardTolerance), GuardTolerance, 0, 10);
        Range(errors, nameof(MaximumTreeCount), MaximumTreeCount, 1, 100_000);
        Range(errors, nameof(MaximumBatchSize), MaximumBatchSize, 1, 1_000_000);
        if (UpdateBudget != Timeout.InfiniteTimeSpan && (UpdateBudget < TimeSpan.FromMilliseconds(1) || UpdateBudget > TimeSpan.FromHours(1)))
        {
            errors.Add($"{nameof(UpdateBudget)} is {UpdateBudget}; allowed: 1 ms to 1 hour, or Timeout.InfiniteTimeSpan.");
        }

        Range(errors, nameof(SnapshotEveryUpdates), SnapshotEveryUpdates, 0, 1_000_000);
        if (SnapshotInterval != Timeout.InfiniteTimeSpan && (SnapshotInterval < TimeSpan.FromSeconds(1) || SnapshotInterval > TimeSpan.FromDays(30)))
        {
            errors.Add($"{nameof(SnapshotInterval)} is {SnapshotInterval}; allowed: 1 second to 30 days, or Timeout.InfiniteTimeSpan.");
        }

        if (ActiveVersionPollInterval != Timeout.InfiniteTimeSpan && (ActiveVersionPollInterval < TimeSpan.FromMilliseconds(100) || ActiveVersionPollInterval > TimeSpan.FromMinutes(5)))
        {
            errors.Add($"{nameof(ActiveVersionPollInterval)} is {ActiveVersionPollInterval}; allowed: 100 ms to 5 minutes, or Timeout.InfiniteTimeSpan.");
        }

        Range(errors, nameof(PrequentialWindowSize), PrequentialWindowSize, 10, 10_000_000);
        if (Collector is null)
        {
            errors.Add($"{nameof(Collector)} is null; set it to a {nameof(FeedbackCollectorOptions)}.");
        }
        else
        {
            Nested(errors, nameof(Collector), Collector.Validate);
        }

        if (Trigger is null)
        {
            errors.Add($"{nameof(Trigger)} is null; set it to an {nameof(UpdateTriggerOptions)}.");
        }
        else
        {
            Nested(errors, nameof(Trigger), Trigger.Validate);
            if (Collector is not null && Trigger.CountThreshold > Collector.Capacity)
            {
                errors.Add($"{nameof(Trigger)}.{nameof(UpdateTriggerOptions.CountThreshold)} ({Trigger.CountThreshold}) exceeds {nameof(Collector)}.{nameof(FeedbackCollectorOptions.Capacity)} ({Collector.Capacity}): a full buffer would never trigger an update.");
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(IncrementalLearnerOptions), typeof(IncrementalLearnerOptions), errors);
        }
    }

    internal IncrementalLearnerOptions Clone()
    {
        var clone = (IncrementalLearnerOptions)MemberwiseClone();
        clone.Collector = Collector.Clone();
        clone.Trigger = Trigger.Clone();
        return clone;
    }

    private static void Nested(List<string> errors, string name, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            errors.Add($"{name}: {ex.Message}");
        }
    }

    private static void Range(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value}; allowed: {min} to {max}.");
        }
    }

    private static void Between(List<string> errors, string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            errors.Add($"{name} is {Text(value)}; allowed: {Text(min)} to {Text(max)}.");
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
