namespace PatternQuality.Versioning.Internal;

/// <summary>
/// DeLong, DeLong and Clarke-Pearson (1988): the AUC as a Mann-Whitney statistic, its per-row "placement" components,
/// and their covariance across two models scored on the same rows, giving the variance of the AUC difference.
/// Placements come from mid-ranks (Sun and Xu, 2014), so the whole test is O(n log n).
/// </summary>
internal static class DeLongComparer
{
    internal static AucComparison Compare(ReadOnlySpan<float> labels, ReadOnlySpan<float> champion, ReadOnlySpan<float> candidate, double confidenceLevel)
    {
        var pos = new List<int>();
        var neg = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            (labels[i] > 0.5f ? pos : neg).Add(i);
        }

        int m = pos.Count, n = neg.Count;
        var (aucA, v10A, v01A) = Placements(champion, pos, neg);
        var (aucB, v10B, v01B) = Placements(candidate, pos, neg);

        // Var(B - A) = Var(A) + Var(B) - 2 Cov(A, B), with each term split into its positive-row and negative-row parts.
        var s10 = Covariance(v10A, aucA, v10A, aucA) + Covariance(v10B, aucB, v10B, aucB) - (2 * Covariance(v10A, aucA, v10B, aucB));
        var s01 = Covariance(v01A, aucA, v01A, aucA) + Covariance(v01B, aucB, v01B, aucB) - (2 * Covariance(v01A, aucA, v01B, aucB));
        var variance = Math.Max(0, (s10 / m) + (s01 / n));
        var half = NormalDistribution.Quantile(0.5 + (confidenceLevel / 2)) * Math.Sqrt(variance);
        var delta = aucB - aucA;
        return new AucComparison(aucA, aucB, delta - half, delta + half);
    }

    /// <summary>The AUC and each row's placement: for a positive, the share of negatives it outranks (ties half); for a negative, the share of positives that outrank it.</summary>
    private static (double Auc, double[] V10, double[] V01) Placements(ReadOnlySpan<float> scores, List<int> pos, List<int> neg)
    {
        int m = pos.Count, n = neg.Count;
        var all = HoldoutMetrics.MidRanks(scores);
        var posScores = new float[m];
        var negScores = new float[n];
        for (var i = 0; i < m; i++)
        {
            posScores[i] = scores[pos[i]];
        }

        for (var j = 0; j < n; j++)
        {
            negScores[j] = scores[neg[j]];
        }

        var posRanks = HoldoutMetrics.MidRanks(posScores);
        var negRanks = HoldoutMetrics.MidRanks(negScores);

        // A positive's rank among all rows minus its rank among positives = negatives below it (ties counted half).
        var v10 = new double[m];
        var sum = 0.0;
        for (var i = 0; i < m; i++)
        {
            v10[i] = (all[pos[i]] - posRanks[i]) / n;
            sum += v10[i];
        }

        var v01 = new double[n];
        for (var j = 0; j < n; j++)
        {
            v01[j] = 1 - ((all[neg[j]] - negRanks[j]) / m);
        }

        return (sum / m, v10, v01);
    }

    private static double Covariance(double[] x, double meanX, double[] y, double meanY)
    {
        if (x.Length < 2)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += (x[i] - meanX) * (y[i] - meanY);
        }

        return sum / (x.Length - 1);
    }
}
