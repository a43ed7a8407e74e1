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

    /// <summary>What an update or a training ended with (for example <c>accepted</c>, <c>rejected</c>, <c>succeeded</c>, <c>failed</c>).</summary>
    public const string Outcome = "patternquality.outcome";

    /// <summary>Who produced a score: <c>model</c>, or <c>default</c> before any model exists.</summary>
    public const string ScoreSource = "patternquality.score.source";

    /// <summary>A stored model version.</summary>
    public const string ModelVersion = "patternquality.model.version";

    /// <summary>Whether the quality gate promoted the candidate (<c>true</c> or <c>false</c>).</summary>
    public const string Promoted = "patternquality.gate.promoted";
}
