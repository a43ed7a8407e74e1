using Microsoft.Extensions.Logging;

namespace PatternQuality.Hosting.Internal;

/// <summary>Log messages of the hosted lifecycle; ids 700 to 719.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(700, LogLevel.Information, "PatternQuality started; serving version {Version}.", EventName = "HostStarted")]
    public static partial void Started(ILogger logger, string version);

    [LoggerMessage(701, LogLevel.Information, "Loaded the active version {Version} with its schema and history.", EventName = "VersionLoaded")]
    public static partial void Loaded(ILogger logger, string version);

    [LoggerMessage(702, LogLevel.Information, "No model yet: {Available} feedback records of the {Required} needed for the first training; serving the default score.", EventName = "WaitingForFeedback")]
    public static partial void WaitingForFeedback(ILogger logger, long available, int required);

    [LoggerMessage(703, LogLevel.Warning, "The {What} is in use in environment {Environment}; register a durable one outside Development.", EventName = "InMemoryDefault")]
    public static partial void InMemoryDefault(ILogger logger, string what, string environment);

    [LoggerMessage(704, LogLevel.Information, "Training started ({Reason}).", EventName = "TrainingStarted")]
    public static partial void TrainingStarted(ILogger logger, string reason);

    [LoggerMessage(705, LogLevel.Information, "Training finished: version {Version}, promoted {Promoted}: {Decision}", EventName = "TrainingFinished")]
    public static partial void TrainingFinished(ILogger logger, string version, bool promoted, string decision);

    [LoggerMessage(706, LogLevel.Error, "Training failed ({Reason}); the served model is unchanged.", EventName = "TrainingFailed")]
    public static partial void TrainingFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(707, LogLevel.Information, "Training skipped ({Reason}): another process holds the store's training lock.", EventName = "TrainingSkipped")]
    public static partial void TrainingSkipped(ILogger logger, string reason);

    [LoggerMessage(708, LogLevel.Information, "Incremental learner resumed: {Replayed} records replayed, watermark {Watermark}.", EventName = "LearnerResumed")]
    public static partial void LearnerResumed(ILogger logger, int replayed, string watermark);

    [LoggerMessage(709, LogLevel.Error, "Following the active version failed; retrying on the next tick.", EventName = "FollowFailed")]
    public static partial void FollowFailed(ILogger logger, Exception exception);

    [LoggerMessage(711, LogLevel.Information, "No model store is configured: models and feedback are kept in the SQLite database {Path}.", EventName = "DefaultDatabase")]
    public static partial void DefaultDatabase(ILogger logger, string path);

    [LoggerMessage(710, LogLevel.Warning, "PatternQuality did not stop within the host's shutdown timeout; acknowledged feedback is on disk and is replayed at the next start.", EventName = "StopTimedOut")]
    public static partial void StopTimedOut(ILogger logger);
}
