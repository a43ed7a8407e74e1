namespace PatternQuality.ActiveLearning;

/// <summary>
/// Chooses which unlabelled candidates are worth a user's judgement next (pool-based active learning).
/// </summary>
/// <remarks>
/// Implementations are stateless apart from their options and safe to share between threads; everything a round
/// needs travels in the <see cref="QueryContext"/>. <see cref="QueryStrategies"/> creates the built-in strategies by name.
/// </remarks>
public interface IQueryStrategy
{
    /// <summary>Gets the strategy's name, as <c>pq active-learn --strategy</c> spells it.</summary>
    string Name { get; }

    /// <summary>Chooses up to <paramref name="count"/> candidates to ask about.</summary>
    /// <param name="context">The pool, its open candidates and the current model.</param>
    /// <param name="count">How many to choose; fewer are returned when fewer candidates are open.</param>
    /// <param name="cancellationToken">Stops the round.</param>
    /// <returns>Distinct pool row indexes, each one of <see cref="QueryContext.Candidates"/>, the most useful first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    int[] Select(QueryContext context, int count, CancellationToken cancellationToken = default);
}
