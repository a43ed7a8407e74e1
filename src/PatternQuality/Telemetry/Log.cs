using Microsoft.Extensions.Logging;

namespace PatternQuality.Telemetry;

/// <summary>
/// Source-generated log messages. Event ids are stable (dashboards and alerts key on them); messages carry counts,
/// durations and names only, never user ids, pattern contents or feature values.
/// </summary>
internal static partial class Log
{
    /// <summary>The stable event ids, grouped by area in blocks of 100.</summary>
    public static class EventIds
    {
        public const int SlowUpdate = 600;
        public const int UpdateFailed = 601;
        public const int ModelSwapped = 602;
        public const int DriftDetected = 610;
        public const int DuplicateFeedback = 620;
        public const int FeedbackRejected = 621;
    }

    [LoggerMessage(EventIds.SlowUpdate, LogLevel.Warning,
        "Update of {Learner} took {DurationMs:F1} ms for {BatchSize} records, over the budget of {BudgetMs:F1} ms.",
        EventName = "SlowUpdate")]
    public static partial void SlowUpdate(ILogger logger, string learner, double durationMs, int batchSize, double budgetMs);

    [LoggerMessage(EventIds.UpdateFailed, LogLevel.Error,
        "Update of {Learner} failed after {BatchSize} records; the current model is kept.",
        EventName = "UpdateFailed")]
    public static partial void UpdateFailed(ILogger logger, Exception exception, string learner, int batchSize);

    [LoggerMessage(EventIds.ModelSwapped, LogLevel.Information,
        "Model of {Learner} swapped from version {OldVersion} to {NewVersion}.",
        EventName = "ModelSwapped")]
    public static partial void ModelSwapped(ILogger logger, string learner, string oldVersion, string newVersion);

    [LoggerMessage(EventIds.DriftDetected, LogLevel.Warning,
        "Drift detected by {Detector} on the prequential loss of {Learner} after {Observations} observations.",
        EventName = "DriftDetected")]
    public static partial void DriftDetected(ILogger logger, string detector, string learner, long observations);

    [LoggerMessage(EventIds.DuplicateFeedback, LogLevel.Debug,
        "Duplicate feedback discarded ({Total} so far).",
        EventName = "DuplicateFeedback")]
    public static partial void DuplicateFeedback(ILogger logger, long total);

    [LoggerMessage(EventIds.FeedbackRejected, LogLevel.Warning,
        "Feedback refused because the collector is full ({Capacity} records); the caller must retry or wait.",
        EventName = "FeedbackRejected")]
    public static partial void FeedbackRejected(ILogger logger, int capacity);
}
