namespace PatternQuality.Versioning.Internal;

/// <summary>Rank helpers for DeLong's AUC comparison (Brier and ECE come from <see cref="Evaluation.BinaryMetrics"/>).</summary>
internal static class HoldoutMetrics
{

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
