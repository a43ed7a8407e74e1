using PatternQuality.Experiments.Internal;

namespace PatternQuality.Experiments;

/// <summary>
/// The sample ratio mismatch (SRM) check: a chi-square goodness-of-fit test of the units each variant actually got
/// against the weights they should have got. A mismatch means assignment or logging is broken and the comparison
/// cannot be trusted, whatever its p-value.
/// </summary>
public static class SampleRatioMismatch
{
    /// <summary>The p-value below which a mismatch is flagged (the common, deliberately strict, 0.001).</summary>
    public const double DefaultThreshold = 0.001;

    /// <summary>Tests observed counts against expected weights.</summary>
    /// <param name="observed">Units per variant.</param>
    /// <param name="weights">The variants' weights, in the same order.</param>
    /// <param name="threshold">Flag a mismatch when the p-value is below this.</param>
    /// <returns>The chi-square statistic, its p-value and the verdict.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, have fewer than two entries, or hold a negative count or a non-positive weight.</exception>
    public static SampleRatioResult Check(IReadOnlyList<long> observed, IReadOnlyList<double> weights, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(weights);
        if (observed.Count != weights.Count || observed.Count < 2)
        {
            throw new ArgumentException($"Need at least two variants and one weight per count (got {observed.Count} counts, {weights.Count} weights).", nameof(weights));
        }

        if (observed.Any(o => o < 0) || weights.Any(w => !(w > 0) || double.IsInfinity(w)))
        {
            throw new ArgumentException("Counts must be >= 0 and weights finite and greater than 0.", nameof(observed));
        }

        double total = observed.Sum(), weight = weights.Sum(), chi = 0;
        if (total == 0)
        {
            return new SampleRatioResult(0, 1, false);
        }

        for (var i = 0; i < observed.Count; i++)
        {
            var expected = total * weights[i] / weight;
            chi += (observed[i] - expected) * (observed[i] - expected) / expected;
        }

        var p = StatMath.ChiSquareUpperTail(chi, observed.Count - 1);
        return new SampleRatioResult(chi, p, p < threshold);
    }
}
