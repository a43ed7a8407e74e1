namespace PatternQuality.Versioning;

/// <summary>
/// Decides whether a candidate model replaces the champion, from both models' scores on the same fresh holdout.
/// Replace it to apply another rule (a business metric, a shadow period); <see cref="DefaultPromotionPolicy"/> is the built-in one.
/// </summary>
public interface IPromotionPolicy
{
    /// <summary>Compares the candidate with the champion on one holdout.</summary>
    /// <param name="labels">The holdout's labels, 0 (rejected) or 1 (approved), one per row.</param>
    /// <param name="championScores">The champion's approval probabilities for the same rows, in the same order.</param>
    /// <param name="candidateScores">The candidate's approval probabilities for the same rows, in the same order.</param>
    /// <param name="cancellationToken">Cancels a long comparison.</param>
    /// <returns>The decision with its evidence.</returns>
    /// <exception cref="ArgumentException">The arrays differ in length, or hold a label other than 0 or 1, or a score that is not a probability.</exception>
    PromotionDecision Decide(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> championScores, ReadOnlyMemory<float> candidateScores, CancellationToken cancellationToken = default);
}
