namespace PatternQuality.Versioning.Internal;

/// <summary>
/// The few metrics the quality gate needs, kept small and local to Versioning until the public metrics library lands.
/// Labels are 0/1; scores are probabilities.
/// </summary>
internal static class HoldoutMetrics
{
    internal const int CalibrationBins = 10;

    /// <summary>Mean squared difference between probability and outcome.</summary>
    internal static double Brier(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores)
    {
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = (double)scores[i] - labels[i];
            sum += d * d;
        }

        return labels.Length == 0 ? double.NaN : sum / labels.Length;
    }

    /// <summary>Expected calibration error over 10 equal-width bins: the row-weighted mean |observed rate - mean probability|.</summary>
    internal static double ExpectedCalibrationError(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores)
    {
        if (labels.Length == 0)
        {
            return double.NaN;
        }

        Span<double> count = stackalloc double[CalibrationBins];
        Span<double> positives = stackalloc double[CalibrationBins];
        Span<double> probability = stackalloc double[CalibrationBins];
        for (var i = 0; i < labels.Length; i++)
        {
            // A score of exactly 1 belongs to the last bin, not an eleventh.
            var bin = Math.Min((int)(scores[i] * CalibrationBins), CalibrationBins - 1);
            count[bin]++;
            positives[bin] += labels[i];
            probability[bin] += scores[i];
        }

        var ece = 0.0;
        for (var b = 0; b < CalibrationBins; b++)
        {
            if (count[b] > 0)
            {
                ece += Math.Abs(positives[b] - probability[b]) / labels.Length;
            }
        }

        return ece;
    }

    /// <summary>Average ranks (1-based) of <paramref name="values"/>, ties sharing the mean of their ranks.</summary>
    internal static double[] MidRanks(ReadOnlySpan<float> values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[values.Length];
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            // Ranks start+1 .. end share their mean.
            var rank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end;
        }

        return ranks;
    }
}
