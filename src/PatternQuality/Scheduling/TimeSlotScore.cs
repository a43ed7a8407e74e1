namespace PatternQuality.Scheduling;

/// <summary>A candidate time to show a pattern, with the model's score for showing it then.</summary>
/// <param name="Time">The candidate time.</param>
/// <param name="Score">The calibrated probability of approval if shown at <paramref name="Time"/>.</param>
public readonly record struct TimeSlotScore(DateTimeOffset Time, float Score);
