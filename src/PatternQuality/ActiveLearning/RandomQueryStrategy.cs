namespace PatternQuality.ActiveLearning;

/// <summary>Chooses candidates uniformly at random: the baseline every other strategy is measured against.</summary>
public sealed class RandomQueryStrategy : IQueryStrategy
{
    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public int[] Select(QueryContext context, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var candidates = context.Candidates.ToArray();
        var random = new Random(context.Seed);
        var take = Math.Min(count, candidates.Length);

        // A partial Fisher-Yates shuffle: only the first `take` places need to be drawn.
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, candidates.Length);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }

        return candidates[..take];
    }
}
