using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// A retrain's holdout that only <paramref name="accepted"/> (the active version when the lineage was checked with
/// <see cref="ActiveLineage"/>, or <see langword="null"/> when that check failed) or the learner's next snapshot of it
/// may score. The check before proposing covers the minutes of training; this one covers the moment between that check
/// and the gate's decision, which the manager makes inside the store's critical section. Any other champion makes the
/// candidate "not comparable": it is recorded as rejected, never promoted over an operator's change.
/// </summary>
internal sealed class PinnedHoldout(PromotionHoldout inner, string? trainedOn, string? accepted)
    : PromotionHoldout(inner.Labels, inner.CandidateScores)
{
    public override ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken)
    {
        var metadata = champion.Metadata;
        var follows = accepted is not null
            && (string.Equals(metadata.Version, accepted, StringComparison.Ordinal)
                || (ActiveLineage.IsSnapshotActivation(metadata) && string.Equals(metadata.ParentVersion, accepted, StringComparison.Ordinal)));
        if (!follows)
        {
            throw new PatternQualityException(
                $"'{metadata.Version}' was activated by a rollback or a promotion while this candidate trained on '{trainedOn ?? "no model"}', and an operator's change wins over a retrain in flight");
        }

        return inner.ScoreChampion(champion, cancellationToken);
    }
}
