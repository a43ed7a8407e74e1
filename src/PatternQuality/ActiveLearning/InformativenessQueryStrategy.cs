namespace PatternQuality.ActiveLearning;

/// <summary>
/// A query strategy that gives every candidate an informativeness (higher is more worth asking about) and chooses the
/// most informative; the base of the uncertainty, committee and density strategies, and what
/// <see cref="DiverseBatchQueryStrategy"/> spreads a batch over.
/// </summary>
public abstract class InformativenessQueryStrategy : IQueryStrategy
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Measures how informative each candidate is.</summary>
    /// <param name="context">The round.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>One finite, non-negative value per candidate, in <see cref="QueryContext.Candidates"/> order.</returns>
    public abstract double[] Informativeness(QueryContext context, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public int[] Select(QueryContext context, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var informativeness = Informativeness(context, cancellationToken);
        var order = Internal.Ranking.Descending(informativeness, context.Seed);
        var take = Math.Min(count, order.Length);
        var chosen = new int[take];
        for (var i = 0; i < take; i++)
        {
            chosen[i] = context.Candidates[order[i]];
        }

        return chosen;
    }
}
