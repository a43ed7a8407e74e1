namespace PatternQuality.Feedback;

/// <summary>The argument checks every <see cref="IPredictionLog"/> makes, so that all of them refuse the same input the same way.</summary>
/// <remarks>Compiled into the SQLite and PostgreSQL packages too (a linked source file), so it stays out of the public API.</remarks>
internal static class PredictionLogArguments
{
    /// <summary>Checks a batch for <see cref="IPredictionLog.AppendAsync"/>.</summary>
    /// <param name="predictions">The batch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predictions"/> is null.</exception>
    /// <exception cref="ArgumentException">A prediction is null.</exception>
    public static void Check(IReadOnlyList<PredictionRecord> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        for (var i = 0; i < predictions.Count; i++)
        {
            if (predictions[i] is null)
            {
                throw new ArgumentException($"Prediction {i} of the batch is null.", nameof(predictions));
            }
        }
    }

    /// <summary>Checks the outcomes for <see cref="IPredictionLog.ResolveAsync"/> and keeps the first verdict of each pattern.</summary>
    /// <param name="outcomes">The outcomes.</param>
    /// <returns>The outcome of each pattern id, in first-seen order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> is null.</exception>
    /// <exception cref="ArgumentException">An outcome has a null, empty or white-space pattern id.</exception>
    public static IReadOnlyDictionary<string, FeedbackOutcome> FirstOutcomes(IReadOnlyList<PredictionOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var first = new Dictionary<string, FeedbackOutcome>(outcomes.Count, StringComparer.Ordinal);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(outcomes[i].PatternId))
            {
                throw new ArgumentException($"Outcome {i} has an empty pattern id.", nameof(outcomes));
            }

            first.TryAdd(outcomes[i].PatternId, outcomes[i].Outcome);
        }

        return first;
    }
}
