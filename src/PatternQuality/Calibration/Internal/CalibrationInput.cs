namespace PatternQuality.Calibration.Internal;

/// <summary>Turns probabilities, labels and weights into the log-odds, 0/1 targets and weights calibrators fit on, checking them on the way.</summary>
internal static class CalibrationInput
{
    public static (double[] X, double[] Y, double[]? W) FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights)
    {
        if (probabilities.Length != labels.Length)
        {
            throw new ArgumentException($"probabilities has {probabilities.Length} entries but labels has {labels.Length}.", nameof(labels));
        }

        var x = new double[probabilities.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var p = probabilities[i];
            if (float.IsNaN(p) || p < 0f || p > 1f)
            {
                throw new ArgumentException($"Probability of row {i} is {p}; calibrators are fitted on probabilities in [0, 1].", nameof(probabilities));
            }

            x[i] = LogOdds.FromProbability(p);
        }

        return Check(x, labels, weights);
    }

    public static (double[] X, double[] Y, double[]? W) Check(double[] x, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights)
    {
        if (x.Length != labels.Length)
        {
            throw new ArgumentException($"scores has {x.Length} entries but labels has {labels.Length}.", nameof(labels));
        }

        if (x.Length == 0)
        {
            throw new ArgumentException("A calibrator needs at least one row to fit on.", nameof(labels));
        }

        if (!weights.IsEmpty && weights.Length != labels.Length)
        {
            throw new ArgumentException($"weights has {weights.Length} entries for {labels.Length} rows.", nameof(weights));
        }

        var y = new double[labels.Length];
        double[]? w = weights.IsEmpty ? null : new double[labels.Length];
        double total = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (labels[i] != 0f && labels[i] != 1f)
            {
                throw new ArgumentException($"Label of row {i} is {labels[i]}; calibration needs 0/1 labels.", nameof(labels));
            }

            if (!double.IsFinite(x[i]))
            {
                throw new ArgumentException($"Score of row {i} is {x[i]}; scores must be finite.", nameof(x));
            }

            y[i] = labels[i];
            if (w is not null)
            {
                if (!float.IsFinite(weights[i]) || weights[i] < 0f)
                {
                    throw new ArgumentException($"Weight of row {i} is {weights[i]}; weights must be finite and >= 0.", nameof(weights));
                }

                w[i] = weights[i];
                total += w[i];
            }
        }

        if (w is not null && !(total > 0))
        {
            throw new ArgumentException("All weights are zero; a calibrator needs some weight to fit on.", nameof(weights));
        }

        return (x, y, w);
    }
}
