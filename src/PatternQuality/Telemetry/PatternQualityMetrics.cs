using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PatternQuality.Telemetry;

/// <summary>
/// The instruments of the <c>PatternQuality</c> meter. One instance per meter: created from the host's
/// <see cref="IMeterFactory"/> when there is one (so the host's DI scope owns and disposes it), otherwise the shared
/// <see cref="Default"/> built on a static meter.
/// </summary>
internal sealed class PatternQualityMetrics
{
    /// <summary>The meter name every PatternQuality instrument lives under.</summary>
    public const string MeterName = "PatternQuality";

    private static readonly Lazy<PatternQualityMetrics> _default = new(() => new PatternQualityMetrics(new Meter(MeterName)));

    // One instance per factory, so every component of a host shares one set of instruments (created once).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMeterFactory, PatternQualityMetrics> _byFactory = new();

    private PatternQualityMetrics(Meter meter)
    {
        Meter = meter;
        UpdateDuration = meter.CreateHistogram<double>(
            "patternquality.update.duration", "ms", "How long an incremental model update took.");
        UpdateBatchSize = meter.CreateHistogram<int>(
            "patternquality.update.batch_size", "{record}", "How many feedback records an update learned from.");
        UpdateSlow = meter.CreateCounter<long>(
            "patternquality.update.slow", "{update}", "Updates that took longer than the configured budget.");
        PrequentialLogLoss = meter.CreateGauge<double>(
            "patternquality.prequential.logloss", null, "Rolling log loss of the current model on feedback it had not yet learned from.");
        PrequentialAuc = meter.CreateGauge<double>(
            "patternquality.prequential.auc", null, "Rolling ROC AUC of the current model on feedback it had not yet learned from.");
        PrequentialBrier = meter.CreateGauge<double>(
            "patternquality.prequential.brier", null, "Rolling Brier score of the current model on feedback it had not yet learned from.");
        DriftDetected = meter.CreateCounter<long>(
            "patternquality.drift.detected", "{alarm}", "Drift alarms raised on the prequential loss.");
        FeedbackAccepted = meter.CreateCounter<long>(
            "patternquality.feedback.accepted", "{record}", "Feedback records accepted into the collector.");
        FeedbackDuplicates = meter.CreateCounter<long>(
            "patternquality.feedback.duplicates", "{record}", "Feedback records discarded because their id was seen recently.");
        FeedbackRejected = meter.CreateCounter<long>(
            "patternquality.feedback.rejected", "{record}", "Feedback writes refused because the collector was full.");
        FeedbackOutOfOrder = meter.CreateCounter<long>(
            "patternquality.feedback.out_of_order", "{record}", "Feedback records whose timestamp is earlier than one already accepted.");
        FeedbackLag = meter.CreateHistogram<double>(
            "patternquality.feedback.lag", "s", "Time from a feedback record's timestamp to the incremental update that learned it.");
        ScoreCount = meter.CreateCounter<long>(
            "patternquality.score.count", "{pattern}", "Patterns scored, by the served model or with the default score before one exists.");
        ScoreDuration = meter.CreateHistogram<double>(
            "patternquality.score.duration", "ms", "How long one scoring call took (one pattern, or a batch with one model).");
        ModelServed = meter.CreateGauge<long>(
            "patternquality.model.served", "{version}", "1 for the stored version being served (or the version its unsaved updates build on), 0 for the one it replaced.");
        ModelSwaps = meter.CreateCounter<long>(
            "patternquality.model.swaps", "{swap}", "Models published to a QualityModelHolder.");
        UpdateCount = meter.CreateCounter<long>(
            "patternquality.update.count", "{update}", "Incremental updates, by outcome: accepted, rejected by the guard, or discarded because another version was activated meanwhile.");
        TrainingCount = meter.CreateCounter<long>(
            "patternquality.training.count", "{training}", "Full trainings by QualityTrainer, by outcome: succeeded, failed or cancelled.");
        TrainingDuration = meter.CreateHistogram<double>(
            "patternquality.training.duration", "s", "How long a full training took, from reading the feedback to the calibrated, evaluated model.");
        GateDecisions = meter.CreateCounter<long>(
            "patternquality.gate.decisions", "{decision}", "Quality-gate decisions on proposed candidates, by whether the candidate was promoted.");
    }

    /// <summary>Gets the metrics on the shared static meter, for hosts without an <see cref="IMeterFactory"/>.</summary>
    public static PatternQualityMetrics Default => _default.Value;

    public Meter Meter { get; }

    public Histogram<double> UpdateDuration { get; }

    public Histogram<int> UpdateBatchSize { get; }

    public Counter<long> UpdateSlow { get; }

    public Gauge<double> PrequentialLogLoss { get; }

    public Gauge<double> PrequentialAuc { get; }

    public Gauge<double> PrequentialBrier { get; }

    public Counter<long> DriftDetected { get; }

    public Counter<long> FeedbackAccepted { get; }

    public Counter<long> FeedbackDuplicates { get; }

    public Counter<long> FeedbackRejected { get; }

    public Counter<long> FeedbackOutOfOrder { get; }

    public Histogram<double> FeedbackLag { get; }

    public Counter<long> ScoreCount { get; }

    public Histogram<double> ScoreDuration { get; }

    public Gauge<long> ModelServed { get; }

    public Counter<long> ModelSwaps { get; }

    public Counter<long> UpdateCount { get; }

    public Counter<long> TrainingCount { get; }

    public Histogram<double> TrainingDuration { get; }

    public Counter<long> GateDecisions { get; }

    /// <summary>Gets whether scoring should read the clock: only while someone listens to the score duration.</summary>
    public bool ScoreTimingEnabled => ScoreDuration.Enabled;

    /// <summary>Creates the metrics on a meter from <paramref name="meterFactory"/>, or returns <see cref="Default"/> when it is null.</summary>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    /// <returns>The metrics.</returns>
    public static PatternQualityMetrics Create(IMeterFactory? meterFactory)
        => meterFactory is null
            ? Default
            : _byFactory.GetValue(meterFactory, static f => new PatternQualityMetrics(f.Create(new MeterOptions(MeterName))));

    /// <summary>Records one finished update.</summary>
    /// <param name="learner">The learner's name, used as a tag.</param>
    /// <param name="duration">How long it took.</param>
    /// <param name="batchSize">How many records it learned from.</param>
    public void RecordUpdate(string learner, TimeSpan duration, int batchSize)
    {
        if (UpdateDuration.Enabled)
        {
            UpdateDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>(TelemetryTags.Learner, learner));
        }

        if (UpdateBatchSize.Enabled)
        {
            UpdateBatchSize.Record(batchSize, new KeyValuePair<string, object?>(TelemetryTags.Learner, learner));
        }
    }

    /// <summary>Counts an update that went over its budget.</summary>
    /// <param name="learner">The learner's name, used as a tag.</param>
    public void RecordSlowUpdate(string learner)
    {
        if (UpdateSlow.Enabled)
        {
            UpdateSlow.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Learner, learner));
        }
    }

    /// <summary>Publishes the rolling prequential metrics; NaN values (not enough data yet) are skipped.</summary>
    /// <param name="learner">The learner's name, used as a tag.</param>
    /// <param name="logLoss">The rolling log loss.</param>
    /// <param name="auc">The rolling AUC.</param>
    /// <param name="brier">The rolling Brier score.</param>
    public void RecordPrequential(string learner, double logLoss, double auc, double brier)
    {
        if (!PrequentialLogLoss.Enabled && !PrequentialAuc.Enabled && !PrequentialBrier.Enabled)
        {
            return;
        }

        var tag = new KeyValuePair<string, object?>(TelemetryTags.Learner, learner);
        if (!double.IsNaN(logLoss))
        {
            PrequentialLogLoss.Record(logLoss, tag);
        }

        if (!double.IsNaN(auc))
        {
            PrequentialAuc.Record(auc, tag);
        }

        if (!double.IsNaN(brier))
        {
            PrequentialBrier.Record(brier, tag);
        }
    }

    /// <summary>Counts a drift alarm.</summary>
    /// <param name="learner">The learner's name, used as a tag.</param>
    /// <param name="detector">The detector's name, used as a tag.</param>
    public void RecordDrift(string learner, string detector)
    {
        if (DriftDetected.Enabled)
        {
            var tags = new TagList
            {
                { TelemetryTags.Learner, learner },
                { TelemetryTags.Detector, detector },
            };
            DriftDetected.Add(1, tags);
        }
    }

    /// <summary>Counts accepted feedback (no tags: the collector serves one learner).</summary>
    /// <param name="count">How many records.</param>
    public void RecordFeedbackAccepted(long count = 1)
    {
        if (FeedbackAccepted.Enabled)
        {
            FeedbackAccepted.Add(count);
        }
    }

    /// <summary>Counts a discarded duplicate.</summary>
    public void RecordFeedbackDuplicate()
    {
        if (FeedbackDuplicates.Enabled)
        {
            FeedbackDuplicates.Add(1);
        }
    }

    /// <summary>Counts a write refused because the collector was full.</summary>
    public void RecordFeedbackRejected()
    {
        if (FeedbackRejected.Enabled)
        {
            FeedbackRejected.Add(1);
        }
    }

    /// <summary>Counts a record accepted with a timestamp earlier than one already seen.</summary>
    public void RecordFeedbackOutOfOrder()
    {
        if (FeedbackOutOfOrder.Enabled)
        {
            FeedbackOutOfOrder.Add(1);
        }
    }

    /// <summary>Records one scoring call.</summary>
    /// <param name="count">How many patterns it scored.</param>
    /// <param name="startTimestamp">The <see cref="Stopwatch.GetTimestamp"/> at its start, or 0 when timing was off.</param>
    /// <param name="byModel">Whether a model scored them (false: the default score, no model yet).</param>
    public void RecordScore(int count, long startTimestamp, bool byModel)
    {
        var source = new KeyValuePair<string, object?>(TelemetryTags.ScoreSource, byModel ? "model" : "default");
        if (ScoreCount.Enabled)
        {
            ScoreCount.Add(count, source);
        }

        if (startTimestamp != 0 && ScoreDuration.Enabled)
        {
            ScoreDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, source);
        }
    }

    /// <summary>Records a model published to a holder, and the served stored version when it changed.</summary>
    /// <param name="previousVersion">The stored version served before, or <see langword="null"/>.</param>
    /// <param name="version">The stored version served now (unsaved updates report the version they build on).</param>
    public void RecordSwap(string? previousVersion, string? version)
    {
        if (ModelSwaps.Enabled)
        {
            ModelSwaps.Add(1);
        }

        RecordServed(previousVersion, version);
    }

    /// <summary>Records the served stored version when it changed (1 for the new one, 0 for the one it replaced).</summary>
    /// <param name="previousVersion">The stored version served before, or <see langword="null"/>.</param>
    /// <param name="version">The stored version served now, or <see langword="null"/> (nothing to record).</param>
    public void RecordServed(string? previousVersion, string? version)
    {
        if (!ModelServed.Enabled || version is null || string.Equals(previousVersion, version, StringComparison.Ordinal))
        {
            return;
        }

        if (previousVersion is not null)
        {
            ModelServed.Record(0, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, previousVersion));
        }

        ModelServed.Record(1, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, version));
    }

    /// <summary>Counts an incremental update by outcome.</summary>
    /// <param name="learner">The learner's name, used as a tag.</param>
    /// <param name="outcome"><c>accepted</c>, <c>rejected</c> or <c>discarded</c>.</param>
    public void RecordUpdateOutcome(string learner, string outcome)
    {
        if (UpdateCount.Enabled)
        {
            UpdateCount.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Learner, learner), new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        }
    }

    /// <summary>Records how long after its timestamp a feedback record was learned.</summary>
    /// <param name="learner">The learner's name, used as a tag.</param>
    /// <param name="lag">The lag; negative lags (clock skew) are recorded as 0.</param>
    public void RecordFeedbackLag(string learner, TimeSpan lag)
    {
        if (FeedbackLag.Enabled)
        {
            FeedbackLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>(TelemetryTags.Learner, learner));
        }
    }

    /// <summary>Records a finished (or failed, or cancelled) full training.</summary>
    /// <param name="outcome"><c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</param>
    /// <param name="duration">How long it ran.</param>
    public void RecordTraining(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome);
        if (TrainingCount.Enabled)
        {
            TrainingCount.Add(1, tag);
        }

        if (TrainingDuration.Enabled)
        {
            TrainingDuration.Record(duration.TotalSeconds, tag);
        }
    }

    /// <summary>Counts a quality-gate decision.</summary>
    /// <param name="promoted">Whether the candidate was promoted.</param>
    public void RecordGateDecision(bool promoted)
    {
        if (GateDecisions.Enabled)
        {
            GateDecisions.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Promoted, promoted));
        }
    }
}
