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
}
