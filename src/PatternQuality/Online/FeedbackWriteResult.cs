namespace PatternQuality.Online;

/// <summary>What a <see cref="FeedbackCollector{TPattern}"/> did with a record it was given.</summary>
public enum FeedbackWriteResult
{
    /// <summary>The record was queued for the next update.</summary>
    Accepted = 0,

    /// <summary>A record with the same id was accepted recently; this one was discarded on purpose and counted.</summary>
    Duplicate = 1,

    /// <summary>The collector was full; the record was not taken and the caller still owns it (retry, or wait with <see cref="FeedbackCollector{TPattern}.WriteAsync"/>).</summary>
    Full = 2,
}
