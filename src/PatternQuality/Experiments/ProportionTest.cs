using PatternQuality.Experiments.Internal;

namespace PatternQuality.Experiments;

/// <summary>The fixed-horizon two-proportion z-test: valid only when looked at once, at a sample size fixed in advance.</summary>
public static class ProportionTest
{
    /// <summary>Compares the success rates of a control and a treatment.</summary>
    /// <param name="controlSuccesses">Successes in the control.</param>
    /// <param name="controlTrials">Trials in the control.</param>
    /// <param name="treatmentSuccesses">Successes in the treatment.</param>
    /// <param name="treatmentTrials">Trials in the treatment.</param>
    /// <param name="alpha">The significance level of the interval and the decision, in (0, 1).</param>
    /// <returns>The difference (treatment - control), its interval, z and the two-sided p-value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or alpha is out of range.</exception>
    public static ProportionTestResult ZTest(long controlSuccesses, long controlTrials, long treatmentSuccesses, long treatmentTrials, double alpha = 0.05)
    {
        CheckCounts(controlSuccesses, controlTrials, nameof(controlSuccesses));
        CheckCounts(treatmentSuccesses, treatmentTrials, nameof(treatmentSuccesses));
        CheckAlpha(alpha);
        if (controlTrials == 0 || treatmentTrials == 0)
        {
            return new ProportionTestResult(double.NaN, double.NaN, double.NaN, double.NaN, 1.0, false);
        }

        double pc = (double)controlSuccesses / controlTrials, pt = (double)treatmentSuccesses / treatmentTrials;
        var pooled = (double)(controlSuccesses + treatmentSuccesses) / (controlTrials + treatmentTrials);
        var pooledSe = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / controlTrials) + (1.0 / treatmentTrials)));
        var se = Math.Sqrt((pc * (1 - pc) / controlTrials) + (pt * (1 - pt) / treatmentTrials));
        var diff = pt - pc;
        var z = pooledSe > 0 ? diff / pooledSe : 0;
        var p = StatMath.TwoSidedP(z);
        var half = StatMath.NormalQuantile(1 - (alpha / 2)) * se;
        return new ProportionTestResult(diff, diff - half, diff + half, z, p, p < alpha);
    }

    internal static void CheckCounts(long successes, long trials, string name)
    {
        if (trials < 0 || successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(name, successes, $"Counts must satisfy 0 <= successes <= trials (got {successes} of {trials}).");
        }
    }

    internal static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be between 0 and 1.");
        }
    }
}
