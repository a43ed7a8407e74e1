using PatternQuality.Scoring;

namespace PatternQuality.Scheduling;

/// <summary>The best time to show a pattern (seed 003's "optimal scheduling"): score it at candidate times, keep the best.</summary>
public static class PatternScorerSchedulingExtensions
{
    /// <summary>As many features as an explanation can name (the explainer's own limit).</summary>
    private const int AllFeatures = 128;

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
        var (times, shifted) = Shift(pattern, candidateTimes, atTime);

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

    /// <summary>
    /// Scores one pattern at each candidate time and returns the best times with reasons: each slot's exact TreeSHAP
    /// explanation and the contributions of the features that change with the time, so each suggested slot says why.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="scorer">The scorer.</param>
    /// <param name="pattern">The pattern to schedule.</param>
    /// <param name="candidateTimes">The times it could be shown (for example the next 24 hours, hourly).</param>
    /// <param name="atTime">Returns the pattern as it would be shown at a time, as for <see cref="BestTimes{TPattern}"/>.</param>
    /// <param name="top">How many times to return.</param>
    /// <param name="reasons">How many features each slot's <see cref="ExplainedTimeSlot.Explanation"/> names at most.</param>
    /// <returns>Up to <paramref name="top"/> slots, best first; equal scores keep the earlier time first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is negative or <paramref name="reasons"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">There is no model yet, or <paramref name="atTime"/> returned null.</exception>
    /// <exception cref="NotSupportedException">The current model is not a tree model.</exception>
    /// <remarks>
    /// A feature counts as time-dependent when its value (as the explanation reports it) differs between candidate
    /// slots, so the rule needs no list of time features and also finds history features that are read as of the
    /// time. Every slot is explained (exact TreeSHAP, a few hundred microseconds per slot for a 100-tree model), all
    /// with one model snapshot, so a model swap cannot pair one slot's score with another model's reasons.
    /// </remarks>
    public static IReadOnlyList<ExplainedTimeSlot> ExplainBestTimes<TPattern>(
        this PatternScorer<TPattern> scorer,
        TPattern pattern,
        IEnumerable<DateTimeOffset> candidateTimes,
        Func<TPattern, DateTimeOffset, TPattern> atTime,
        int top,
        int reasons = 3)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(candidateTimes);
        ArgumentNullException.ThrowIfNull(atTime);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfLessThan(reasons, 1);
        var (times, shifted) = Shift(pattern, candidateTimes, atTime);
        if (times.Length == 0 || top == 0)
        {
            return [];
        }

        // Every feature that moved any slot's score (the explainer leaves out exact zeros), so values can be compared.
        var explanations = scorer.ExplainAll(shifted, AllFeatures);
        var timeDependent = TimeDependentFeatures(explanations);
        var order = Enumerable.Range(0, times.Length).OrderByDescending(i => explanations[i].Score).Take(top).ToArray();
        var result = new ExplainedTimeSlot[order.Length];
        for (var k = 0; k < order.Length; k++)
        {
            var full = explanations[order[k]];
            var all = full.Contributions;
            var named = new FeatureContribution[Math.Min(reasons, all.Count)];
            for (var j = 0; j < named.Length; j++)
            {
                named[j] = all[j];
            }

            var time = all.Where(c => timeDependent.Contains(c.Name)).ToArray();
            var trimmed = new ScoreExplanation(full.Score, full.BaseScore, full.RawScore, full.Bias, named, full.Outcome);
            result[k] = new ExplainedTimeSlot(times[order[k]], trimmed, time);
        }

        return result;
    }

    private static (DateTimeOffset[] Times, TPattern[] Shifted) Shift<TPattern>(
        TPattern pattern, IEnumerable<DateTimeOffset> candidateTimes, Func<TPattern, DateTimeOffset, TPattern> atTime)
    {
        var times = candidateTimes.Order().ToArray();
        var shifted = new TPattern[times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            shifted[i] = atTime(pattern, times[i]) ?? throw new InvalidOperationException($"atTime returned null for {times[i]:O}.");
        }

        return (times, shifted);
    }

    private static HashSet<string> TimeDependentFeatures(ScoreExplanation[] explanations)
    {
        // A feature whose reported value is the same in every slot that names it is not about the time, even when
        // its contribution moves (tree interactions with the time features move it); one whose value differs is.
        var firstValue = new Dictionary<string, string?>(StringComparer.Ordinal);
        var dependent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var explanation in explanations)
        {
            foreach (var c in explanation.Contributions)
            {
                if (!firstValue.TryAdd(c.Name, c.Value) && !string.Equals(firstValue[c.Name], c.Value, StringComparison.Ordinal))
                {
                    dependent.Add(c.Name);
                }
            }
        }

        return dependent;
    }
}
