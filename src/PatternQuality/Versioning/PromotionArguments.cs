namespace PatternQuality.Versioning;

/// <summary>What <see cref="IPromotionPolicy.Decide"/> judges: one fresh holdout scored by the champion and the candidate.</summary>
/// <remarks>
/// A struct passed by <see langword="in"/> reference (as Polly passes its <c>*Arguments</c>), so fields can be added later
/// without breaking policies written against this version.
/// </remarks>
public readonly struct PromotionArguments
{
    /// <summary>Initializes a new instance of the <see cref="PromotionArguments"/> struct.</summary>
    /// <param name="labels">The holdout's labels, 0 (rejected) or 1 (approved), one per row.</param>
    /// <param name="championScores">The champion's approval probabilities for the same rows, in the same order.</param>
    /// <param name="candidateScores">The candidate's approval probabilities for the same rows, in the same order.</param>
    /// <param name="championVersion">The champion's version id, or <see langword="null"/> when it is not known.</param>
    /// <param name="cancellationToken">Cancels a long comparison.</param>
    public PromotionArguments(
        ReadOnlyMemory<float> labels,
        ReadOnlyMemory<float> championScores,
        ReadOnlyMemory<float> candidateScores,
        string? championVersion = null,
        CancellationToken cancellationToken = default)
    {
        Labels = labels;
        ChampionScores = championScores;
        CandidateScores = candidateScores;
        ChampionVersion = championVersion;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the holdout's labels, 0 or 1, one per row.</summary>
    public ReadOnlyMemory<float> Labels { get; }

    /// <summary>Gets the champion's probabilities on the holdout rows.</summary>
    public ReadOnlyMemory<float> ChampionScores { get; }

    /// <summary>Gets the candidate's probabilities on the same rows.</summary>
    public ReadOnlyMemory<float> CandidateScores { get; }

    /// <summary>Gets the version id of the champion the candidate is compared with, when known.</summary>
    public string? ChampionVersion { get; }

    /// <summary>Gets the token that cancels a long comparison.</summary>
    public CancellationToken CancellationToken { get; }
}
