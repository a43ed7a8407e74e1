namespace PatternQuality.Scoring;

/// <summary>A pattern with its approval probability, as <see cref="PatternScorer{TPattern}.Rank"/> returns it.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="Pattern">The pattern.</param>
/// <param name="Score">The calibrated probability that a user approves it (for a ranking model: calibrated only when a calibrator was fitted on its scores).</param>
public readonly record struct ScoredPattern<TPattern>(TPattern Pattern, float Score)
{
    /// <summary>Gets the ranking model's own score that ordered this candidate (<see cref="QualityModel.PredictRankingScores"/>), or <see langword="null"/> when the model is not a ranking model.</summary>
    public float? RankingScore { get; init; }
}
