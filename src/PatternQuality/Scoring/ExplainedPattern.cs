namespace PatternQuality.Scoring;

/// <summary>A suggested pattern with its score and why, as <see cref="PatternScorer{TPattern}.Suggest"/> returns it.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="Pattern">The pattern.</param>
/// <param name="Score">The calibrated probability that a user approves it.</param>
/// <param name="Explanation">Why: the features that moved the score most and a reason text (<see cref="ScoreExplanation.Reason"/>).</param>
public sealed record ExplainedPattern<TPattern>(TPattern Pattern, float Score, ScoreExplanation Explanation);
