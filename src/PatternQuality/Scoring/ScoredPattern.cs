namespace PatternQuality.Scoring;

/// <summary>A pattern with its approval probability, as <see cref="PatternScorer{TPattern}.Rank"/> returns it.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="Pattern">The pattern.</param>
/// <param name="Score">The calibrated probability that a user approves it.</param>
public readonly record struct ScoredPattern<TPattern>(TPattern Pattern, float Score);
