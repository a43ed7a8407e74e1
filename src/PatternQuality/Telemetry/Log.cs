using Microsoft.Extensions.Logging;

namespace PatternQuality.Telemetry;

/// <summary>
/// Source-generated log messages. Event ids are stable (dashboards and alerts key on them); messages carry counts,
/// durations and names only, never user ids, pattern contents or feature values.
/// </summary>
internal static partial class Log
{
    /// <summary>
    /// The one table of stable event ids (dashboards and alerts key on them), in blocks by area: 600 online updates,
    /// 610 drift, 620 feedback collection, 630 incremental learning, 650 prediction log, 800 training, 5100 model versions. Never reuse an id.
    /// The packages built on this one keep their own blocks, disjoint from these: 700-799 PatternQuality.Hosting
    /// (<c>Hosting/Internal/HostingLog.cs</c>); a new package takes the next free block of 100 and names it here.
    /// </summary>
    public static class EventIds
    {
        public const int SlowUpdate = 600;
        public const int UpdateFailed = 601;
        public const int ModelSwapped = 602;
        public const int DriftDetected = 610;
        public const int DuplicateFeedback = 620;
        public const int FeedbackRejected = 621;
        public const int IncrementalUpdate = 630;
        public const int InvalidFeedback = 631;
        public const int Resumed = 632;
        public const int SnapshotSaved = 633;
        public const int RetrainStarted = 634;
        public const int RetrainFinished = 635;
        public const int RetrainFailed = 636;
        public const int CompactionNeeded = 637;
        public const int IncrementalRolledBack = 638;
        public const int SnapshotFailed = 639;
        public const int AdoptedVersion = 640;
        public const int SnapshotSuperseded = 641;
        public const int PositionSaved = 642;
        public const int PositionResumed = 643;
        public const int PositionSaveFailed = 644;
        public const int PredictionsDropped = 650;
        public const int PredictionLogWriteFailed = 651;
        public const int TrainingStarted = 800;
        public const int TrainingCompleted = 801;
        public const int CalibrationChosen = 802;
        public const int PretrainingCompleted = 803;
        public const int TrainingWarning = 804;
        public const int VersionSaved = 5100;
        public const int VersionActivated = 5101;
        public const int VersionRolledBack = 5102;
        public const int CandidatePromoted = 5103;
        public const int CandidateRejected = 5104;
        public const int VersionsDeleted = 5105;
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

    // Incremental learning (IncrementalLearner).
    [LoggerMessage(EventIds.IncrementalUpdate, LogLevel.Debug, "Incremental update of {BatchSize} records: accepted {Accepted}, {TreesAdded} trees added, {TreeCount} trees, {DurationMs:F1} ms.", EventName = "IncrementalUpdate")]
    public static partial void IncrementalUpdate(ILogger logger, int batchSize, bool accepted, int treesAdded, int treeCount, double durationMs);

    [LoggerMessage(EventIds.InvalidFeedback, LogLevel.Warning, "Feedback record {RecordId} was skipped: its features could not be extracted ({Reason}).", EventName = "InvalidFeedback")]
    public static partial void InvalidFeedback(ILogger logger, string recordId, string reason);

    [LoggerMessage(EventIds.Resumed, LogLevel.Information, "Incremental learner resumed from watermark {Watermark}: {Count} records replayed from the feedback source.", EventName = "Resumed")]
    public static partial void Resumed(ILogger logger, string watermark, int count);

    [LoggerMessage(EventIds.SnapshotSaved, LogLevel.Information, "Incremental learner saved version {Version} at watermark {Watermark}.", EventName = "SnapshotSaved")]
    public static partial void SnapshotSaved(ILogger logger, string version, string watermark);

    [LoggerMessage(EventIds.RetrainStarted, LogLevel.Information, "Full retrain started ({Reason}).", EventName = "RetrainStarted")]
    public static partial void RetrainStarted(ILogger logger, string reason);

    [LoggerMessage(EventIds.RetrainFinished, LogLevel.Information, "Full retrain finished: the model now has {TreeCount} trees.", EventName = "RetrainFinished")]
    public static partial void RetrainFinished(ILogger logger, int treeCount);

    [LoggerMessage(EventIds.RetrainFailed, LogLevel.Error, "Full retrain failed; the incrementally updated model is kept.", EventName = "RetrainFailed")]
    public static partial void RetrainFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.CompactionNeeded, LogLevel.Warning, "The model holds {TreeCount} trees, the configured maximum; updates add no trees until a full retrain compacts it, and no FullRetrain delegate is set.", EventName = "CompactionNeeded")]
    public static partial void CompactionNeeded(ILogger logger, int treeCount);

    [LoggerMessage(EventIds.IncrementalRolledBack, LogLevel.Information, "Incremental learner rolled back to version {Version} (watermark {Watermark}).", EventName = "IncrementalRolledBack")]
    public static partial void IncrementalRolledBack(ILogger logger, string version, string watermark);

    [LoggerMessage(EventIds.SnapshotFailed, LogLevel.Error, "Saving a snapshot of the incrementally updated model failed; updates continue and the next one retries.", EventName = "SnapshotFailed")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.AdoptedVersion, LogLevel.Information, "Incremental learner adopted the active version {Version} (watermark {Watermark}); its next update builds on it.", EventName = "AdoptedVersion")]
    public static partial void Adopted(ILogger logger, string version, string watermark);

    [LoggerMessage(EventIds.SnapshotSuperseded, LogLevel.Warning, "Version {Version} saved by the incremental learner was not activated: another version was activated meanwhile, and the learner adopted that one.", EventName = "SnapshotSuperseded")]
    public static partial void SnapshotSuperseded(ILogger logger, string version);

    [LoggerMessage(EventIds.PositionSaved, LogLevel.Information, "Incremental learner adopted {Version}, which is behind its watermark {Watermark}; that position is saved as {Position} so a restart does not learn the skipped feedback again.", EventName = "PositionSaved")]
    public static partial void PositionSaved(ILogger logger, string version, string watermark, string position);

    [LoggerMessage(EventIds.PositionResumed, LogLevel.Information, "Incremental learner resumes {Version} at the position {Position} saved when it was adopted (watermark {Watermark}).", EventName = "PositionResumed")]
    public static partial void PositionResumed(ILogger logger, string version, string position, string watermark);

    [LoggerMessage(EventIds.PositionSaveFailed, LogLevel.Warning, "Saving the learner's position on the adopted version {Version} failed; until its next snapshot, a restart learns the feedback consumed before the adoption again.", EventName = "PositionSaveFailed")]
    public static partial void PositionSaveFailed(ILogger logger, Exception exception, string version);

    // Training (QualityTrainer).
    [LoggerMessage(EventIds.TrainingStarted, LogLevel.Information,
        "Training {Trainer} on {TrainRows} rows ({TestRows} held out, split {Split}) with {FeatureCount} features.",
        EventName = "TrainingStarted")]
    public static partial void TrainingStarted(ILogger logger, string trainer, int trainRows, int testRows, string split, int featureCount);

    [LoggerMessage(EventIds.TrainingCompleted, LogLevel.Information,
        "Trained {Trainer} in {DurationMs:F0} ms: holdout AUC {Auc:F4}, log loss {LogLoss:F4}, ECE {Ece:F4}.",
        EventName = "TrainingCompleted")]
    public static partial void TrainingCompleted(ILogger logger, string trainer, double durationMs, double auc, double logLoss, double ece);

    [LoggerMessage(EventIds.CalibrationChosen, LogLevel.Debug,
        "Calibration {Method} chosen ({Requested} requested) from out-of-fold predictions of {Rows} rows.",
        EventName = "CalibrationChosen")]
    public static partial void CalibrationChosen(ILogger logger, string method, string requested, int rows);

    [LoggerMessage(EventIds.PretrainingCompleted, LogLevel.Information,
        "Pre-trained {Trees} trees on {CorpusRows} corpus rows in {DurationMs:F0} ms.",
        EventName = "PretrainingCompleted")]
    public static partial void PretrainingCompleted(ILogger logger, int trees, int corpusRows, double durationMs);

    [LoggerMessage(EventIds.TrainingWarning, LogLevel.Warning, "Training warning: {Warning}", EventName = "TrainingWarning")]
    public static partial void TrainingWarning(ILogger logger, string warning);

    // Model versions (ModelVersionManager).
    [LoggerMessage(EventIds.VersionSaved, LogLevel.Information, "Saved model version {Version} (parent {ParentVersion}, {TrainingRows} training rows)", EventName = "VersionSaved")]
    public static partial void VersionSaved(ILogger logger, string version, string? parentVersion, long trainingRows);

    [LoggerMessage(EventIds.VersionActivated, LogLevel.Information, "Activated model version {Version} (was {PreviousVersion}): {Reason}", EventName = "VersionActivated")]
    public static partial void VersionActivated(ILogger logger, string version, string? previousVersion, string reason);

    [LoggerMessage(EventIds.VersionRolledBack, LogLevel.Warning, "Rolled back from model version {FromVersion} to {ToVersion}: {Reason}", EventName = "VersionRolledBack")]
    public static partial void VersionRolledBack(ILogger logger, string fromVersion, string toVersion, string reason);

    [LoggerMessage(EventIds.CandidatePromoted, LogLevel.Information, "Candidate {Version} promoted: {Reason}", EventName = "CandidatePromoted")]
    public static partial void CandidatePromoted(ILogger logger, string version, string reason);

    [LoggerMessage(EventIds.CandidateRejected, LogLevel.Information, "Candidate {Version} rejected and kept as challenger: {Reason}", EventName = "CandidateRejected")]
    public static partial void CandidateRejected(ILogger logger, string version, string reason);

    [LoggerMessage(EventIds.VersionsDeleted, LogLevel.Information, "Retention deleted {Count} model versions: {Versions}", EventName = "VersionsDeleted")]
    public static partial void VersionsDeleted(ILogger logger, int count, string versions);

    // Prediction log (PredictionRecorder).
    [LoggerMessage(EventIds.PredictionsDropped, LogLevel.Warning,
        "Prediction log queue full ({Capacity}): {Dropped} predictions or outcomes dropped since the last warning, {TotalDropped} in all; scoring was not held up.",
        EventName = "PredictionsDropped")]
    public static partial void PredictionsDropped(ILogger logger, long dropped, long totalDropped, int capacity);

    [LoggerMessage(EventIds.PredictionLogWriteFailed, LogLevel.Error,
        "Prediction log refused a batch of {Count} {Kind}; they are not retried.",
        EventName = "PredictionLogWriteFailed")]
    public static partial void PredictionLogWriteFailed(ILogger logger, Exception exception, int count, string kind);
}
