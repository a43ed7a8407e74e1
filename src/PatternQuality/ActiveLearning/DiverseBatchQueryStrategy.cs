using PatternQuality.ActiveLearning.Internal;

namespace PatternQuality.ActiveLearning;

/// <summary>
/// Spreads a batch over the pool: from the most informative candidates it picks greedily, discounting each by its
/// similarity to what the batch already holds, so a batch of 100 is not 100 near-duplicates of one uncertain pattern.
/// </summary>
/// <remarks>
/// The greedy score is informativeness x (1 - the largest Gower similarity to a chosen candidate). Only the
/// <see cref="ShortlistFactor"/> x batch most informative candidates are considered, which bounds a round at
/// shortlist x batch similarity computations.
/// </remarks>
public sealed class DiverseBatchQueryStrategy : IQueryStrategy
{
    private readonly InformativenessQueryStrategy _inner;

    /// <summary>Initializes a new diverse-batch strategy.</summary>
    /// <param name="inner">The informativeness to spread; <see langword="null"/> for least-confident uncertainty.</param>
    /// <param name="shortlistFactor">How many times the batch size to shortlist (1 to 100).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shortlistFactor"/> is out of range.</exception>
    public DiverseBatchQueryStrategy(InformativenessQueryStrategy? inner = null, int shortlistFactor = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shortlistFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shortlistFactor, 100);
        _inner = inner ?? new UncertaintyQueryStrategy();
        ShortlistFactor = shortlistFactor;
    }

    /// <summary>Gets how many times the batch size is shortlisted by informativeness.</summary>
    public int ShortlistFactor { get; }

    /// <inheritdoc />
    public string Name => "diverse";

    /// <inheritdoc />
    public int[] Select(QueryContext context, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var informativeness = _inner.Informativeness(context, cancellationToken);
        var order = Ranking.Descending(informativeness, context.Seed);
        var shortlist = order[..(int)Math.Min(order.Length, (long)count * ShortlistFactor)];
        var take = Math.Min(count, shortlist.Length);
        var similarity = new GowerSimilarity(context);
        var closest = new float[shortlist.Length];
        var taken = new bool[shortlist.Length];
        var chosen = new int[take];
        for (var k = 0; k < take; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < shortlist.Length; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                // A small floor keeps informativeness deciding among candidates that are all alike.
                var score = (informativeness[shortlist[i]] + 1e-9) * (1 - closest[i]);
                if (score > bestScore)
                {
                    bestScore = score;
                    best = i;
                }
            }

            taken[best] = true;
            var row = context.Candidates[shortlist[best]];
            chosen[k] = row;
            var values = context.GetRow(row);
            for (var i = 0; i < shortlist.Length; i++)
            {
                if (!taken[i])
                {
                    closest[i] = Math.Max(closest[i], similarity.Similarity(values, context.GetRow(context.Candidates[shortlist[i]])));
                }
            }
        }

        return chosen;
    }
}
