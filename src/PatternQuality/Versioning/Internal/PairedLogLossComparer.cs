using PatternQuality.Evaluation;

namespace PatternQuality.Versioning.Internal;

/// <summary>
/// The paired comparison of two models' log loss on the same rows: the mean of the per-row differences
/// (candidate minus champion) and a one-sided upper confidence bound from their standard error.
/// </summary>
/// <remarks>
/// Pairing removes the between-row variance that both models share (hard rows are hard for both), so a small but
/// consistent gain is visible on a holdout of a few thousand rows where comparing the two means unpaired would not be.
/// The bound is a normal approximation (central limit theorem on the mean of n differences), fine at the holdout sizes
/// the gate already requires (at least 30 rows of each class).
/// </remarks>
internal static class PairedLogLossComparer
{
    internal static LogLossComparison Compare(ReadOnlySpan<float> labels, ReadOnlySpan<float> champion, ReadOnlySpan<float> candidate, double confidenceLevel)
    {
        var n = labels.Length;
        double sumA = 0, sumB = 0, sumD = 0;
        var deltas = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = BinaryMetrics.PointLogLoss(labels[i], champion[i]);
            var b = BinaryMetrics.PointLogLoss(labels[i], candidate[i]);
            sumA += a;
            sumB += b;
            deltas[i] = b - a;
            sumD += deltas[i];
        }

        var mean = sumD / n;
        var squares = 0.0;
        for (var i = 0; i < n; i++)
        {
            squares += (deltas[i] - mean) * (deltas[i] - mean);
        }

        var standardError = n > 1 ? Math.Sqrt(squares / (n - 1) / n) : 0;
        var upper = mean + (NormalDistribution.Quantile(confidenceLevel) * standardError);
        return new LogLossComparison(sumA / n, sumB / n, mean, standardError, upper);
    }
}
