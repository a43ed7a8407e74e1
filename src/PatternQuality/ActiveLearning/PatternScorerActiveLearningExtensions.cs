using PatternQuality.Scoring;

namespace PatternQuality.ActiveLearning;

/// <summary>Active learning in the host's request path: which of a request's candidates to show for feedback.</summary>
public static class PatternScorerActiveLearningExtensions
{
    /// <summary>Scores the candidates once with the current model and lets <paramref name="policy"/> choose which to show.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="scorer">The scorer.</param>
    /// <param name="candidates">The patterns that could be shown.</param>
    /// <param name="slots">How many to show.</param>
    /// <param name="policy">The exploration rule; <see langword="null"/> for epsilon 0.1.</param>
    /// <param name="random">The source of randomness; <see langword="null"/> for <see cref="Random.Shared"/>.</param>
    /// <returns>The choices in slot order; <see cref="FeedbackChoice.Index"/> points into <paramref name="candidates"/>. Log each propensity with the feedback.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> or <paramref name="candidates"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is negative.</exception>
    public static IReadOnlyList<FeedbackChoice> ChooseForFeedback<TPattern>(
        this PatternScorer<TPattern> scorer,
        IReadOnlyList<TPattern> candidates,
        int slots,
        ExplorationPolicy? policy = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        var scores = scorer.Score(candidates);
        return (policy ?? new ExplorationPolicy()).Choose(scores, slots, random);
    }
}
