namespace PatternQuality.Scoring;

/// <summary>How much one feature moved a prediction away from the model's average, as an explanation reports it.</summary>
/// <param name="Name">The feature's name as declared (a timestamp or history feature is one entry, not its derived columns).</param>
/// <param name="Value">The value as the pattern gave it (a category as written, a number, "Sat 23:00"), or <see langword="null"/> when missing.</param>
/// <param name="Contribution">
/// The exact TreeSHAP contribution in the model's raw space: log-odds for boosted models, probability for random
/// forests. The contributions of all features plus <see cref="ScoreExplanation.Bias"/> sum to <see cref="ScoreExplanation.RawScore"/>.
/// </param>
/// <param name="ProbabilityContribution">
/// The contribution in calibrated probability points: <see cref="Contribution"/> scaled so that all features'
/// probability contributions sum to <see cref="ScoreExplanation.Score"/> minus <see cref="ScoreExplanation.BaseScore"/>.
/// </param>
public readonly record struct FeatureContribution(string Name, string? Value, double Contribution, double ProbabilityContribution);
