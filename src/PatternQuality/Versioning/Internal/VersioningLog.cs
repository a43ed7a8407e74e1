using Microsoft.Extensions.Logging;

namespace PatternQuality.Versioning.Internal;

/// <summary>The version manager's log messages, with stable event ids (5100-5199) so hosts can filter on them.</summary>
internal static partial class VersioningLog
{
    [LoggerMessage(5100, LogLevel.Information, "Saved model version {Version} (parent {ParentVersion}, {TrainingRows} training rows)")]
    internal static partial void VersionSaved(ILogger logger, string version, string? parentVersion, long trainingRows);

    [LoggerMessage(5101, LogLevel.Information, "Activated model version {Version} (was {PreviousVersion}): {Reason}")]
    internal static partial void VersionActivated(ILogger logger, string version, string? previousVersion, string reason);

    [LoggerMessage(5102, LogLevel.Warning, "Rolled back from model version {FromVersion} to {ToVersion}: {Reason}")]
    internal static partial void RolledBack(ILogger logger, string fromVersion, string toVersion, string reason);

    [LoggerMessage(5103, LogLevel.Information, "Candidate {Version} promoted: {Reason}")]
    internal static partial void CandidatePromoted(ILogger logger, string version, string reason);

    [LoggerMessage(5104, LogLevel.Information, "Candidate {Version} rejected and kept as challenger: {Reason}")]
    internal static partial void CandidateRejected(ILogger logger, string version, string reason);

    [LoggerMessage(5105, LogLevel.Information, "Retention deleted {Count} model versions: {Versions}")]
    internal static partial void VersionsDeleted(ILogger logger, int count, string versions);
}
