namespace PatternQuality.Feedback;

/// <summary>The verdict on a pattern that closes its served predictions (<see cref="IPredictionLog.ResolveAsync"/>).</summary>
/// <param name="PatternId">The pattern's id, as given to <see cref="PredictionRecord.PatternId"/> (the feedback's id).</param>
/// <param name="Outcome">What the user decided.</param>
public readonly record struct PredictionOutcome(string PatternId, FeedbackOutcome Outcome);
