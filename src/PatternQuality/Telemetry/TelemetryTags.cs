namespace PatternQuality.Telemetry;

/// <summary>The tag names PatternQuality puts on its metrics, kept in one place so dashboards can rely on them.</summary>
internal static class TelemetryTags
{
    /// <summary>The name of the learner or model an update or metric belongs to (for example <c>online-logistic</c>).</summary>
    public const string Learner = "patternquality.learner";

    /// <summary>The drift detector that raised an alarm (for example <c>page-hinkley</c>, <c>adwin</c>).</summary>
    public const string Detector = "patternquality.drift.detector";

    /// <summary>Why an update ran: <c>count</c>, <c>age</c> or <c>requested</c>.</summary>
    public const string Reason = "patternquality.update.reason";
}
