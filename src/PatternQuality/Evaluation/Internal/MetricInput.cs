namespace PatternQuality.Evaluation.Internal;

/// <summary>Argument checks shared by the metric functions, so every metric rejects bad input with the same words.</summary>
internal static class MetricInput
{
    public static void CheckBinary(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights, bool scoresAreProbabilities)
    {
        if (labels.Length != scores.Length)
        {
            throw new ArgumentException($"labels has {labels.Length} entries but scores has {scores.Length}; they must have one entry per row.", nameof(scores));
        }

        if (labels.Length == 0)
        {
            throw new ArgumentException("labels and scores are empty; a metric needs at least one row.", nameof(labels));
        }

        if (!weights.IsEmpty && weights.Length != labels.Length)
        {
            throw new ArgumentException($"weights has {weights.Length} entries for {labels.Length} rows; pass one weight per row or none.", nameof(weights));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] != 0f && labels[i] != 1f)
            {
                throw new ArgumentException($"Label of row {i} is {labels[i]}; binary labels must be 0 or 1.", nameof(labels));
            }

            var s = scores[i];
            if (float.IsNaN(s))
            {
                throw new ArgumentException($"Score of row {i} is NaN; metrics need a score for every row.", nameof(scores));
            }

            if (scoresAreProbabilities && (s < 0f || s > 1f))
            {
                throw new ArgumentException($"Score of row {i} is {s}; this metric needs probabilities in [0, 1].", nameof(scores));
            }

            if (!weights.IsEmpty && (!float.IsFinite(weights[i]) || weights[i] < 0f))
            {
                throw new ArgumentException($"Weight of row {i} is {weights[i]}; weights must be finite and >= 0.", nameof(weights));
            }
        }
    }

    public static double Weight(ReadOnlySpan<float> weights, int i) => weights.IsEmpty ? 1d : weights[i];

    public static void CheckBins(int bins)
    {
        if (bins < 1 || bins > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be between 1 and 10000.");
        }
    }
}
