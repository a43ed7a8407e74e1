using Microsoft.Extensions.Logging;

namespace PatternQuality.Training.Internal;

/// <summary>Log messages of the training pipeline: counts, names and durations only, never feature values or user ids.</summary>
internal static partial class TrainingLog
{
    /// <summary>Stable event ids of the training area (block 800, beside the blocks of Telemetry/Log.cs).</summary>
    public static class EventIds
    {
        public const int TrainingStarted = 800;
        public const int TrainingCompleted = 801;
        public const int CalibrationChosen = 802;
        public const int PretrainingCompleted = 803;
        public const int TrainingWarning = 804;
    }

    [LoggerMessage(EventIds.TrainingStarted, LogLevel.Information,
        "Training {Trainer} on {TrainRows} rows ({TestRows} held out, split {Split}) with {FeatureCount} features.",
        EventName = "TrainingStarted")]
    public static partial void TrainingStarted(ILogger logger, string trainer, int trainRows, int testRows, SplitStrategy split, int featureCount);

    [LoggerMessage(EventIds.TrainingCompleted, LogLevel.Information,
        "Trained {Trainer} in {DurationMs:F0} ms: holdout AUC {Auc:F4}, log loss {LogLoss:F4}, ECE {Ece:F4}.",
        EventName = "TrainingCompleted")]
    public static partial void TrainingCompleted(ILogger logger, string trainer, double durationMs, double auc, double logLoss, double ece);

    [LoggerMessage(EventIds.CalibrationChosen, LogLevel.Debug,
        "Calibration {Method} chosen ({Requested} requested) from out-of-fold predictions of {Rows} rows.",
        EventName = "CalibrationChosen")]
    public static partial void CalibrationChosen(ILogger logger, Calibration.CalibrationMethod method, Calibration.CalibrationMethod requested, int rows);

    [LoggerMessage(EventIds.PretrainingCompleted, LogLevel.Information,
        "Pre-trained {Trees} trees on {CorpusRows} corpus rows in {DurationMs:F0} ms.",
        EventName = "PretrainingCompleted")]
    public static partial void PretrainingCompleted(ILogger logger, int trees, int corpusRows, double durationMs);

    [LoggerMessage(EventIds.TrainingWarning, LogLevel.Warning, "Training warning: {Warning}", EventName = "TrainingWarning")]
    public static partial void TrainingWarning(ILogger logger, string warning);
}
