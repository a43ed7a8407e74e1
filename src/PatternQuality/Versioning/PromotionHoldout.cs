using PatternQuality.Storage;

namespace PatternQuality.Versioning;

/// <summary>
/// The fresh holdout a candidate is judged on: its labels, the candidate's scores, and the ability to score the same
/// rows with whichever version is the champion when the decision is taken.
/// </summary>
/// <remarks>
/// <see cref="ModelVersionManager.ProposeAsync"/> asks the holdout to score the champion that is active at decision
/// time, so another process promoting a model in the meantime makes the candidate be compared again rather than
/// judged against a champion that is gone. <c>TrainingResult.CreateHoldout()</c> (training)
/// builds one from a training run; <see cref="FromScores"/> wraps scores computed by the caller.
/// </remarks>
public abstract class PromotionHoldout
{
    /// <summary>Initializes a new instance of the <see cref="PromotionHoldout"/> class.</summary>
    /// <param name="labels">The holdout's labels, 0 or 1, one per row.</param>
    /// <param name="candidateScores">The candidate's probabilities on the same rows.</param>
    protected PromotionHoldout(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateScores)
    {
        Labels = labels;
        CandidateScores = candidateScores;
    }

    /// <summary>Gets the holdout's labels, 0 or 1, one per row.</summary>
    public ReadOnlyMemory<float> Labels { get; }

    /// <summary>Gets the candidate's probabilities on the holdout rows.</summary>
    public ReadOnlyMemory<float> CandidateScores { get; }

    /// <summary>Wraps scores the caller computed with a known champion.</summary>
    /// <param name="labels">The holdout's labels.</param>
    /// <param name="candidateScores">The candidate's probabilities on the holdout rows.</param>
    /// <param name="championVersion">The version that produced <paramref name="championScores"/>, or <see langword="null"/> when none was active.</param>
    /// <param name="championScores">That version's probabilities on the same rows (empty when <paramref name="championVersion"/> is null).</param>
    /// <returns>A holdout that can only score <paramref name="championVersion"/>: if another version is champion when the decision is taken, the candidate is not comparable and is rejected.</returns>
    public static PromotionHoldout FromScores(
        ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateScores, string? championVersion, ReadOnlyMemory<float> championScores)
        => new PrecomputedHoldout(labels, candidateScores, championVersion, championScores);

    /// <summary>Scores the holdout rows with a stored version, in the order of <see cref="Labels"/>.</summary>
    /// <param name="champion">The champion's bytes and metadata, checksum verified.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>The champion's probabilities, one per holdout row.</returns>
    /// <exception cref="PatternQualityException">The version cannot score these rows (another feature schema, missing columns, an unreadable file); the message says why, and the candidate is recorded as not comparable.</exception>
    public abstract ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken);

    private sealed class PrecomputedHoldout(
        ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateScores, string? championVersion, ReadOnlyMemory<float> championScores)
        : PromotionHoldout(labels, candidateScores)
    {
        public override ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(champion);
            return champion.Metadata.Version == championVersion
                ? championScores
                : throw new PatternQualityException(championVersion is null
                    ? $"the scores were computed with no champion, but '{champion.Metadata.Version}' is active now"
                    : $"the scores were computed with '{championVersion}', but '{champion.Metadata.Version}' is active now");
        }
    }
}
