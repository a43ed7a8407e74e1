namespace PatternQuality.Versioning.Internal;

/// <summary>The standard normal distribution's CDF and quantile, accurate to about 1e-7, enough for confidence bounds.</summary>
internal static class NormalDistribution
{
    /// <summary>P(Z &lt;= x), by the Zelen and Severo polynomial approximation (Abramowitz and Stegun 26.2.17).</summary>
    internal static double Cdf(double x)
    {
        if (x < 0)
        {
            return 1 - Cdf(-x);
        }

        var t = 1 / (1 + (0.2316419 * x));
        var poly = t * (0.319381530 + (t * (-0.356563782 + (t * (1.781477937 + (t * (-1.821255978 + (t * 1.330274429))))))));
        return 1 - (Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI) * poly);
    }

    /// <summary>The x with P(Z &lt;= x) = p, by bisection on <see cref="Cdf"/> (monotone, so bisection cannot fail).</summary>
    internal static double Quantile(double p)
    {
        double lo = -10, hi = 10;
        for (var i = 0; i < 100; i++)
        {
            var mid = (lo + hi) / 2;
            if (Cdf(mid) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }
}
