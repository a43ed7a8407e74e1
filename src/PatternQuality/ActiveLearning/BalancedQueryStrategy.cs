namespace PatternQuality.ActiveLearning;

/// <summary>
/// Keeps a fixed share of every batch random and fills the rest with an informed strategy (by default the diverse
/// uncertainty batch), so the labels always contain a uniform sample of the pool: the safe default when nothing is
/// known about the data.
/// </summary>
/// <remarks>
/// <para>
/// Why a random share: an informed strategy samples where its current model is unsure, which is a biased sample of the
/// pool; on data where that model is wrong about where the uncertainty lies (rare positives, a region it has never
/// seen) it can keep asking about the wrong band and learn less than random sampling. With a share r of every batch
/// drawn uniformly from the open pool, the labelled set after n labels holds a uniform sample of about
/// start + r x (n - start) rows, whatever the informed part did, so the model always sees the whole pool's shape and
/// the informed part can only add to it.
/// </para>
/// <para>
/// The random picks are drawn from the open candidates the informed part did not choose, with the round's seed, so a
/// round is reproducible. The informed picks come first in the result.
/// </para>
/// </remarks>
public sealed class BalancedQueryStrategy : IQueryStrategy
{
    private readonly IQueryStrategy _informed;

    /// <summary>Initializes a new balanced strategy.</summary>
    /// <param name="informed">The strategy that fills the informed share; <see langword="null"/> for <see cref="DiverseBatchQueryStrategy"/> over least-confident uncertainty.</param>
    /// <param name="randomFraction">The share of every batch drawn at random, 0 to 1 (0.25 by default).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="randomFraction"/> is not between 0 and 1.</exception>
    public BalancedQueryStrategy(IQueryStrategy? informed = null, double randomFraction = 0.25)
    {
        if (!(randomFraction >= 0 && randomFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(randomFraction), randomFraction, "The random share must be between 0 and 1.");
        }

        _informed = informed ?? new DiverseBatchQueryStrategy();
        RandomFraction = randomFraction;
    }

    /// <summary>Gets the share of every batch drawn at random.</summary>
    public double RandomFraction { get; }

    /// <inheritdoc />
    public string Name => "balanced";

    /// <inheritdoc />
    public int[] Select(QueryContext context, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var take = Math.Min(count, context.Candidates.Count);
        var randomCount = (int)Math.Round(take * RandomFraction, MidpointRounding.AwayFromZero);
        var informedCount = take - randomCount;
        var informed = informedCount == 0 ? [] : _informed.Select(context, informedCount, cancellationToken);
        var chosen = new int[take];
        var taken = new HashSet<int>();
        var k = 0;
        foreach (var row in informed)
        {
            if (k < informedCount && taken.Add(row))
            {
                chosen[k++] = row;
            }
        }

        // The rest uniformly from the open candidates not chosen yet: a partial Fisher-Yates shuffle of positions.
        var positions = new int[context.Candidates.Count];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }

        var random = new Random(unchecked((context.Seed * 31) + 17));
        for (var i = 0; i < positions.Length && k < take; i++)
        {
            var j = random.Next(i, positions.Length);
            (positions[i], positions[j]) = (positions[j], positions[i]);
            var row = context.Candidates[positions[i]];
            if (taken.Add(row))
            {
                chosen[k++] = row;
            }
        }

        return chosen;
    }
}
