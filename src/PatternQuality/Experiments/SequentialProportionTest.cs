using PatternQuality.Experiments.Internal;

namespace PatternQuality.Experiments;

/// <summary>
/// An always-valid test of two success rates: the mixture sequential probability ratio test (mSPRT) of Johari, Pekelis
/// and Walsh ("Always valid inference", 2017) with a normal mixture over the difference. Peek as often as you like
/// (every day, every hour): the chance of ever declaring a difference that does not exist stays below alpha.
/// </summary>
/// <remarks>
/// Feed it the cumulative counts at every peek, in order. The always-valid p-value is the running minimum of 1 / Lambda,
/// and the confidence sequence is the running intersection of the intervals, so neither can lose significance later.
/// The mixture's standard deviation (tau) sets which effect size the test is most sensitive to; by default it is fixed
/// at the first peek with at least 100 trials to 10% of the pooled rate (a 10% relative lift). Not thread-safe.
/// </remarks>
public sealed class SequentialProportionTest
{
    private const long MinimumTrialsForDefaultTau = 100;
    private readonly double _alpha;
    private double _tau;
    private double _pValue = 1;
    private double _lower = double.NegativeInfinity;
    private double _upper = double.PositiveInfinity;

    /// <summary>Initializes a new test.</summary>
    /// <param name="alpha">The false-positive bound over all peeks, in (0, 1).</param>
    /// <param name="mixtureStandardDeviation">The mixture's tau on the difference of rates, or <see langword="null"/> for 10% of the pooled rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">alpha or tau is out of range.</exception>
    public SequentialProportionTest(double alpha = 0.05, double? mixtureStandardDeviation = null)
    {
        ProportionTest.CheckAlpha(alpha);
        if (mixtureStandardDeviation is { } t && !(t > 0 && double.IsFinite(t)))
        {
            throw new ArgumentOutOfRangeException(nameof(mixtureStandardDeviation), t, "The mixture standard deviation must be finite and greater than 0.");
        }

        _alpha = alpha;
        _tau = mixtureStandardDeviation ?? 0;
    }

    /// <summary>Gets the number of peeks so far.</summary>
    public int Peeks { get; private set; }

    /// <summary>Looks at the cumulative counts once more.</summary>
    /// <param name="controlSuccesses">Successes in the control so far.</param>
    /// <param name="controlTrials">Trials in the control so far.</param>
    /// <param name="treatmentSuccesses">Successes in the treatment so far.</param>
    /// <param name="treatmentTrials">Trials in the treatment so far.</param>
    /// <returns>The difference, the confidence sequence, Lambda and the always-valid p-value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or successes exceed trials.</exception>
    public ProportionTestResult Update(long controlSuccesses, long controlTrials, long treatmentSuccesses, long treatmentTrials)
    {
        ProportionTest.CheckCounts(controlSuccesses, controlTrials, nameof(controlSuccesses));
        ProportionTest.CheckCounts(treatmentSuccesses, treatmentTrials, nameof(treatmentSuccesses));
        Peeks++;
        if (controlTrials == 0 || treatmentTrials == 0)
        {
            return new ProportionTestResult(double.NaN, _lower, _upper, 1, _pValue, _pValue <= _alpha);
        }

        double pc = (double)controlSuccesses / controlTrials, pt = (double)treatmentSuccesses / treatmentTrials;
        if (_tau == 0 && controlTrials + treatmentTrials >= MinimumTrialsForDefaultTau)
        {
            var pooled = (double)(controlSuccesses + treatmentSuccesses) / (controlTrials + treatmentTrials);
            _tau = Math.Max(0.1 * pooled, 1e-3);
        }

        var diff = pt - pc;

        // Plug-in variance of the difference; floored so an arm with 0 or 100% successes does not divide by zero.
        var v = Math.Max((pc * (1 - pc) / controlTrials) + (pt * (1 - pt) / treatmentTrials), 0.25 / ((double)controlTrials * treatmentTrials));
        if (_tau == 0)
        {
            return new ProportionTestResult(diff, _lower, _upper, 1, _pValue, _pValue <= _alpha);
        }

        var t2 = _tau * _tau;
        var logLambda = (0.5 * Math.Log(v / (v + t2))) + (diff * diff * t2 / (2 * v * (v + t2)));
        var lambda = Math.Exp(Math.Min(logLambda, 700));
        _pValue = Math.Min(_pValue, Math.Min(1, 1 / lambda));
        var half = Math.Sqrt(v * (v + t2) / t2 * ((2 * Math.Log(1 / _alpha)) + Math.Log((v + t2) / v)));
        _lower = Math.Max(_lower, diff - half);
        _upper = Math.Min(_upper, diff + half);
        return new ProportionTestResult(diff, _lower, _upper, lambda, _pValue, _pValue <= _alpha);
    }
}
