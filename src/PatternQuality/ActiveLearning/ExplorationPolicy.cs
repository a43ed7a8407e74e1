namespace PatternQuality.ActiveLearning;

/// <summary>
/// Chooses which candidates to show when every shown pattern should both serve the user and teach the model:
/// epsilon-greedy over calibrated scores, exploring in proportion to uncertainty, with the exact propensity of every choice.
/// </summary>
/// <remarks>
/// <para>
/// The rule, slot by slot over the candidates not yet chosen: with probability 1 - <see cref="Epsilon"/> show the
/// highest score (exploit); otherwise draw a candidate with probability proportional to p(1 - p) + <see cref="ExplorationFloor"/>
/// (explore where the model is least sure, yet give every candidate a chance). So the propensity of candidate i in a
/// slot is (1 - epsilon) x [i is the best remaining] + epsilon x w_i / sum(w), never zero while epsilon &gt; 0, which is
/// what inverse propensity scoring needs to evaluate another policy from this feedback later.
/// </para>
/// <para>Stateless and thread-safe; randomness comes from the <see cref="Random"/> passed in (default <see cref="Random.Shared"/>).</para>
/// </remarks>
public sealed class ExplorationPolicy
{
    /// <summary>Initializes a new policy.</summary>
    /// <param name="epsilon">The probability that a slot explores (0 to 1; 0 always shows the best, 1 always explores).</param>
    /// <param name="explorationFloor">Added to every candidate's uncertainty weight so no candidate has zero propensity (0 to 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range or not finite.</exception>
    public ExplorationPolicy(double epsilon = 0.1, double explorationFloor = 0.01)
    {
        if (!(epsilon >= 0 && epsilon <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be between 0 and 1.");
        }

        if (!(explorationFloor >= 0 && explorationFloor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(explorationFloor), explorationFloor, "The exploration floor must be between 0 and 1.");
        }

        Epsilon = epsilon;
        ExplorationFloor = explorationFloor;
    }

    /// <summary>Gets the probability that a slot explores.</summary>
    public double Epsilon { get; }

    /// <summary>Gets the weight every candidate has for exploration on top of its uncertainty.</summary>
    public double ExplorationFloor { get; }

    /// <summary>Chooses up to <paramref name="slots"/> distinct candidates to show.</summary>
    /// <param name="scores">The candidates' calibrated scores (probabilities of approval); NaN counts as 0.5.</param>
    /// <param name="slots">How many to show (the feedback budget of this request).</param>
    /// <param name="random">The source of randomness; <see langword="null"/> for <see cref="Random.Shared"/>.</param>
    /// <returns>The choices in slot order; fewer than <paramref name="slots"/> when there are fewer candidates.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is negative.</exception>
    public FeedbackChoice[] Choose(ReadOnlySpan<float> scores, int slots, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        random ??= Random.Shared;
        var take = Math.Min(slots, scores.Length);
        var choices = new FeedbackChoice[take];
        var weights = new double[scores.Length];
        var clean = new float[scores.Length];
        var open = new bool[scores.Length];
        var totalWeight = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = float.IsNaN(scores[i]) ? 0.5f : Math.Clamp(scores[i], 0f, 1f);
            clean[i] = p;
            weights[i] = (p * (1.0 - p)) + ExplorationFloor;
            totalWeight += weights[i];
            open[i] = true;
        }

        for (var slot = 0; slot < take; slot++)
        {
            var best = -1;
            for (var i = 0; i < clean.Length; i++)
            {
                if (open[i] && (best < 0 || clean[i] > clean[best]))
                {
                    best = i;
                }
            }

            var explore = Epsilon > 0 && (Epsilon >= 1 || random.NextDouble() < Epsilon);
            var chosen = explore ? Draw(weights, open, totalWeight, random, best) : best;
            var propensity = ((chosen == best ? 1 - Epsilon : 0) + (Epsilon * weights[chosen] / totalWeight));
            choices[slot] = new FeedbackChoice(chosen, slot, scores[chosen], Math.Min(1, propensity), explore);
            open[chosen] = false;
            totalWeight -= weights[chosen];
        }

        return choices;
    }

    private static int Draw(double[] weights, bool[] open, double totalWeight, Random random, int fallback)
    {
        var target = random.NextDouble() * totalWeight;
        var last = fallback;
        for (var i = 0; i < weights.Length; i++)
        {
            if (!open[i])
            {
                continue;
            }

            last = i;
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        // Rounding can leave a sliver of weight unspent: it belongs to the last open candidate.
        return last;
    }
}
