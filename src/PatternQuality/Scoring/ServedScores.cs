namespace PatternQuality.Scoring;

/// <summary>Scores of a batch and the stored version of the model that gave them; see <see cref="PatternScorer{TPattern}.ScoreServed"/>.</summary>
/// <param name="Scores">One calibrated score per pattern, in the batch's order.</param>
/// <param name="Version">
/// The stored version of the model that scored the batch, or the version its unsaved incremental updates build on;
/// <see langword="null"/> when no stored version is served (a model published without a version, or the default score).
/// </param>
public sealed record ServedScores(IReadOnlyList<float> Scores, string? Version);
