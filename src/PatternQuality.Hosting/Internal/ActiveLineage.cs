using PatternQuality.Online;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// Whether the active version still follows from the one a retrain started on. While a retrain runs, only the
/// incremental learner's own snapshots may be activated without changing what the retrain is judged against: each is a
/// child of the version active before it, activated with <see cref="IncrementalLearner{TPattern}.SnapshotReason"/>.
/// Anything else (a rollback, a promotion by hand, another instance's promotion) is an operator's change, and a model
/// computed before it must not be published over it: an operator's change wins.
/// </summary>
internal static class ActiveLineage
{
    private const string SnapshotReason = IncrementalLearner<object>.SnapshotReason;

    /// <summary>Whether <paramref name="active"/> is <paramref name="start"/> or reached from it by the learner's snapshots alone.</summary>
    public static bool FollowsFrom(IReadOnlyList<ModelMetadata> versions, string? active, string? start)
    {
        if (active is null || string.Equals(active, start, StringComparison.Ordinal))
        {
            return true;
        }

        if (start is null)
        {
            return false;
        }

        var byId = new Dictionary<string, ModelMetadata>(versions.Count, StringComparer.Ordinal);
        foreach (var v in versions)
        {
            byId[v.Version] = v;
        }

        // Each step goes to the version active before; the walk is bounded by the number of versions, so a damaged
        // activation history (a cycle) ends it rather than looping.
        var current = active;
        for (var steps = 0; steps <= byId.Count; steps++)
        {
            if (!byId.TryGetValue(current, out var metadata) || !IsSnapshotActivation(metadata))
            {
                return false;
            }

            current = metadata.ParentVersion!;
            if (string.Equals(current, start, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="version"/> was last activated as the learner's snapshot of its parent. A rollback to it
    /// replaces the activation reason; a promotion of it by hand replaces the reason and records another previous
    /// version; either makes it the operator's choice.
    /// </summary>
    public static bool IsSnapshotActivation(ModelMetadata version) =>
        version.ParentVersion is { } parent
        && string.Equals(version.Properties.GetValueOrDefault(ModelPropertyNames.ActivationReason), SnapshotReason, StringComparison.Ordinal)
        && string.Equals(version.Properties.GetValueOrDefault(ModelPropertyNames.PreviousActive), parent, StringComparison.Ordinal);
}
