namespace PatternQuality.Experiments;

/// <summary>
/// Off-policy evaluation: estimates how a candidate policy would have performed from the log of another policy,
/// before any A/B test. Inverse propensity scoring (IPS), its self-normalised form (SNIPS), and the doubly robust
/// estimator (DR), which adds a reward model so it is unbiased if either the propensities or the model are right.
/// </summary>
/// <remarks>
/// The logging policy must have given every action the candidate may take a positive probability (it must "cover" the
/// candidate); IPS is unbiased then, and its variance grows with the importance weights (see
/// <see cref="OffPolicyEstimate.EffectiveSampleSize"/>).
/// </remarks>
public static class OffPolicyEvaluation
{
    private const double Z95 = 1.959963984540054;

    /// <summary>Inverse propensity scoring: the mean of w * reward with w = target(context, action) / propensity.</summary>
    /// <param name="log">The logging policy's decisions.</param>
    /// <param name="target">The candidate policy's probability of an action in a context.</param>
    /// <param name="selfNormalized">Divide by the mean weight instead of 1 (SNIPS): slightly biased, much lower variance.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">The log is empty, or a propensity is not in (0, 1], or a target probability not in [0, 1].</exception>
    public static OffPolicyEstimate InversePropensity(IReadOnlyList<LoggedDecision> log, Func<int, int, double> target, bool selfNormalized = false)
    {
        var w = Weights(log, target);
        var terms = new double[log.Count];
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = w[i] * log[i].Reward;
        }

        if (!selfNormalized)
        {
            return Summarise(terms, w);
        }

        // SNIPS: ratio estimator; its standard error by the delta method.
        var meanW = w.Average();
        if (meanW <= 0)
        {
            throw new ArgumentException("The candidate policy gives probability 0 to every logged action; nothing in the log informs it.", nameof(target));
        }

        var value = terms.Average() / meanW;
        var residual = new double[terms.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            residual[i] = w[i] * (log[i].Reward - value) / meanW;
        }

        var se = StandardError(residual);
        return new OffPolicyEstimate(value, se, value - (Z95 * se), value + (Z95 * se), Ess(w));
    }

    /// <summary>
    /// Doubly robust: the reward model's expected reward under the candidate policy, corrected by the importance-weighted
    /// error of the model on the logged action.
    /// </summary>
    /// <param name="log">The logging policy's decisions.</param>
    /// <param name="target">The candidate policy's probability of an action in a context.</param>
    /// <param name="rewardModel">The predicted mean reward of an action in a context. Fit it on other rows than <paramref name="log"/> (cross-fitting) to keep the correction unbiased.</param>
    /// <param name="actionCount">The number of actions (0 to actionCount - 1).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">The log is empty, an action is out of range, or a probability is invalid.</exception>
    public static OffPolicyEstimate DoublyRobust(IReadOnlyList<LoggedDecision> log, Func<int, int, double> target, Func<int, int, double> rewardModel, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(rewardModel);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        var w = Weights(log, target);
        var terms = new double[log.Count];
        var direct = new Dictionary<int, double>();
        for (var i = 0; i < terms.Length; i++)
        {
            var d = log[i];
            if ((uint)d.Action >= (uint)actionCount)
            {
                throw new ArgumentException($"Decision {i} took action {d.Action}, outside 0 to {actionCount - 1}.", nameof(log));
            }

            if (!direct.TryGetValue(d.Context, out var dm))
            {
                dm = 0;
                for (var a = 0; a < actionCount; a++)
                {
                    dm += target(d.Context, a) * rewardModel(d.Context, a);
                }

                direct[d.Context] = dm;
            }

            terms[i] = dm + (w[i] * (d.Reward - rewardModel(d.Context, d.Action)));
        }

        return Summarise(terms, w);
    }

    private static double[] Weights(IReadOnlyList<LoggedDecision> log, Func<int, int, double> target)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(target);
        if (log.Count < 2)
        {
            throw new ArgumentException("Off-policy evaluation needs at least two logged decisions.", nameof(log));
        }

        var w = new double[log.Count];
        for (var i = 0; i < w.Length; i++)
        {
            var d = log[i];
            if (!(d.Propensity > 0 && d.Propensity <= 1) || !double.IsFinite(d.Reward))
            {
                throw new ArgumentException($"Decision {i} has propensity {d.Propensity} and reward {d.Reward}; propensities must be in (0, 1] and rewards finite.", nameof(log));
            }

            var p = target(d.Context, d.Action);
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"The candidate policy gives probability {p} to action {d.Action} in context {d.Context}; probabilities must be in [0, 1].", nameof(target));
            }

            w[i] = p / d.Propensity;
        }

        return w;
    }

    private static OffPolicyEstimate Summarise(double[] terms, double[] weights)
    {
        var value = terms.Average();
        var se = StandardError(terms);
        return new OffPolicyEstimate(value, se, value - (Z95 * se), value + (Z95 * se), Ess(weights));
    }

    private static double StandardError(double[] terms)
    {
        var mean = terms.Average();
        double ss = 0;
        foreach (var t in terms)
        {
            ss += (t - mean) * (t - mean);
        }

        return Math.Sqrt(ss / (terms.Length - 1) / terms.Length);
    }

    private static double Ess(double[] w)
    {
        double s = 0, s2 = 0;
        foreach (var x in w)
        {
            s += x;
            s2 += x * x;
        }

        return s2 > 0 ? s * s / s2 : 0;
    }
}
