using Microsoft.Extensions.Logging;

namespace PatternQuality.Online.Internal;

/// <summary>Log messages of <see cref="IncrementalLearner{TPattern}"/>; ids 630 to 649 (the online block of <c>Telemetry/Log.cs</c>).</summary>
internal static partial class IncrementalLog
{
    [LoggerMessage(630, LogLevel.Debug, "Incremental update of {BatchSize} records: accepted {Accepted}, {TreesAdded} trees added, {TreeCount} trees, {DurationMs:F1} ms.", EventName = "IncrementalUpdate")]
    public static partial void Updated(ILogger logger, int batchSize, bool accepted, int treesAdded, int treeCount, double durationMs);

    [LoggerMessage(631, LogLevel.Warning, "Feedback record {RecordId} was skipped: its features could not be extracted ({Reason}).", EventName = "InvalidFeedback")]
    public static partial void InvalidFeedback(ILogger logger, string recordId, string reason);

    [LoggerMessage(632, LogLevel.Information, "Incremental learner resumed from watermark {Watermark}: {Count} records replayed from the feedback source.", EventName = "Resumed")]
    public static partial void Resumed(ILogger logger, string watermark, int count);

    [LoggerMessage(633, LogLevel.Information, "Incremental learner saved version {Version} at watermark {Watermark}.", EventName = "SnapshotSaved")]
    public static partial void SnapshotSaved(ILogger logger, string version, string watermark);

    [LoggerMessage(634, LogLevel.Information, "Full retrain started ({Reason}).", EventName = "RetrainStarted")]
    public static partial void RetrainStarted(ILogger logger, string reason);

    [LoggerMessage(635, LogLevel.Information, "Full retrain finished: the model now has {TreeCount} trees.", EventName = "RetrainFinished")]
    public static partial void RetrainFinished(ILogger logger, int treeCount);

    [LoggerMessage(636, LogLevel.Error, "Full retrain failed; the incrementally updated model is kept.", EventName = "RetrainFailed")]
    public static partial void RetrainFailed(ILogger logger, Exception exception);

    [LoggerMessage(637, LogLevel.Warning, "The model holds {TreeCount} trees, the configured maximum; updates add no trees until a full retrain compacts it, and no FullRetrain delegate is set.", EventName = "CompactionNeeded")]
    public static partial void CompactionNeeded(ILogger logger, int treeCount);

    [LoggerMessage(638, LogLevel.Information, "Incremental learner rolled back to version {Version} (watermark {Watermark}).", EventName = "RolledBack")]
    public static partial void RolledBack(ILogger logger, string version, string watermark);

    [LoggerMessage(639, LogLevel.Error, "Saving a snapshot of the incrementally updated model failed; updates continue and the next one retries.", EventName = "SnapshotFailed")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(640, LogLevel.Information, "Incremental learner adopted the active version {Version} (watermark {Watermark}); its next update builds on it.", EventName = "AdoptedVersion")]
    public static partial void Adopted(ILogger logger, string version, string watermark);

    [LoggerMessage(641, LogLevel.Warning, "Version {Version} saved by the incremental learner was not activated: another version was activated meanwhile, and the learner adopted that one.", EventName = "SnapshotSuperseded")]
    public static partial void SnapshotSuperseded(ILogger logger, string version);
}
