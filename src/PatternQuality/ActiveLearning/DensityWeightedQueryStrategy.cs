using PatternQuality.ActiveLearning.Internal;

namespace PatternQuality.ActiveLearning;

/// <summary>
/// Density-weighted uncertainty (information density): a candidate's uncertainty times how typical it is of the pool,
/// so outliers that no other pattern resembles are not asked about first.
/// </summary>
/// <remarks>
/// Typicality is the mean Gower similarity to a seeded random sample of candidates (numeric features by distance over
/// their range, categorical features by equality), raised to <see cref="Beta"/>. A sample rather than the whole pool
/// keeps a round linear in the pool size, and typicality is measured only for the <see cref="ShortlistSize"/> most
/// informative candidates (the others get informativeness 0): a candidate's weighted score is at most its own
/// informativeness, so a batch far smaller than the shortlist is drawn from candidates the shortlist holds, and a
/// round costs shortlist x sample similarities instead of pool x sample.
/// </remarks>
public sealed class DensityWeightedQueryStrategy : InformativenessQueryStrategy
{
    private readonly InformativenessQueryStrategy _inner;

    /// <summary>Initializes a new density-weighted strategy.</summary>
    /// <param name="inner">The informativeness to weight; <see langword="null"/> for least-confident uncertainty.</param>
    /// <param name="beta">The weight of density against informativeness (0 to 10; 0 ignores density).</param>
    /// <param name="sampleSize">How many candidates typicality is measured against (1 to 100,000). 100 by default: the mean
    /// of 100 similarities in [0, 1] is within about 0.02 of the pool's, finer than the spread of typicality between
    /// candidates, and a round stays within the latency target (docs/active-learning.md).</param>
    /// <param name="shortlistSize">How many of the most informative candidates get a typicality (1 to 1,000,000).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/>, <paramref name="sampleSize"/> or <paramref name="shortlistSize"/> is out of range.</exception>
    public DensityWeightedQueryStrategy(InformativenessQueryStrategy? inner = null, double beta = 1.0, int sampleSize = 100, int shortlistSize = 1000)
    {
        if (!(beta >= 0 && beta <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Beta must be between 0 and 10.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleSize, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortlistSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shortlistSize, 1_000_000);
        _inner = inner ?? new UncertaintyQueryStrategy();
        Beta = beta;
        SampleSize = sampleSize;
        ShortlistSize = shortlistSize;
    }

    /// <summary>Gets the weight of density against informativeness.</summary>
    public double Beta { get; }

    /// <summary>Gets how many candidates typicality is measured against.</summary>
    public int SampleSize { get; }

    /// <summary>Gets how many of the most informative candidates get a typicality; the rest get informativeness 0.</summary>
    public int ShortlistSize { get; }

    /// <inheritdoc />
    public override string Name => "density";

    /// <inheritdoc />
    public override double[] Informativeness(QueryContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = _inner.Informativeness(context, cancellationToken);
        if (Beta == 0 || context.Candidates.Count == 0)
        {
            return result;
        }

        var similarity = new GowerSimilarity(context);
        var reference = new RandomQueryStrategy().Select(context, SampleSize, cancellationToken);
        var order = Ranking.Descending(result, context.Seed);
        for (var k = ShortlistSize; k < order.Length; k++)
        {
            result[order[k]] = 0;
        }

        for (var k = 0; k < Math.Min(ShortlistSize, order.Length); k++)
        {
            if ((k & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var i = order[k];
            var row = context.GetRow(context.Candidates[i]);
            var total = 0.0;
            foreach (var r in reference)
            {
                total += similarity.Similarity(row, context.GetRow(r));
            }

            result[i] *= Math.Pow(total / reference.Length, Beta);
        }

        return result;
    }
}
