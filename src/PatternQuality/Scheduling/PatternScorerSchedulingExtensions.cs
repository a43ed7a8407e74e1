using PatternQuality.Scoring;

namespace PatternQuality.Scheduling;

/// <summary>The best time to show a pattern (seed 003's "optimal scheduling"): score it at candidate times, keep the best.</summary>
public static class PatternScorerSchedulingExtensions
{
    /// <summary>Scores one pattern at each candidate time and returns the best times, highest score first.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="scorer">The scorer.</param>
    /// <param name="pattern">The pattern to schedule.</param>
    /// <param name="candidateTimes">The times it could be shown (for example the next 24 hours, hourly).</param>
    /// <param name="atTime">
    /// Returns the pattern as it would be shown at a time (for a record, <c>(p, t) =&gt; p with { ShownAt = t }</c>), so the
    /// extractor recomputes every time-dependent feature (hour of day, weekday, and history as of that time).
    /// </param>
    /// <param name="top">How many times to return.</param>
    /// <returns>Up to <paramref name="top"/> slots, best first; equal scores keep the earlier time first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is negative.</exception>
    public static IReadOnlyList<TimeSlotScore> BestTimes<TPattern>(
        this PatternScorer<TPattern> scorer,
        TPattern pattern,
        IEnumerable<DateTimeOffset> candidateTimes,
        Func<TPattern, DateTimeOffset, TPattern> atTime,
        int top)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(candidateTimes);
        ArgumentNullException.ThrowIfNull(atTime);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var times = candidateTimes.Order().ToArray();
        var shifted = new TPattern[times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            shifted[i] = atTime(pattern, times[i]) ?? throw new InvalidOperationException($"atTime returned null for {times[i]:O}.");
        }

        // One batch call: the scorer reads the current model once, so every slot is scored by the same model.
        var scores = scorer.Score(shifted);
        var slots = new TimeSlotScore[times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            slots[i] = new TimeSlotScore(times[i], scores[i]);
        }

        // A stable sort keeps the earlier time first among equal scores.
        return slots.OrderByDescending(s => s.Score).Take(top).ToArray();
    }
}
