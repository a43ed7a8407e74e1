using PatternQuality.Evaluation.Internal;

namespace PatternQuality.Evaluation;

/// <summary>
/// Binary classification metrics over labels (0/1), scores and optional weights, computed in double precision and
/// matching scikit-learn 1.2.1 (checked by golden tests).
/// </summary>
/// <remarks>
/// Every function throws <see cref="ArgumentException"/> when the spans differ in length, are empty, a label is not
/// 0 or 1, a score is NaN, or a weight is negative or not finite; the message names the row. Functions that read
/// scores as probabilities also reject scores outside [0, 1]. Pass an empty <c>weights</c> span for unweighted rows.
/// A row is predicted positive when its score is at least the threshold.
/// </remarks>
public static class BinaryMetrics
{
    /// <summary>The clipping epsilon of scikit-learn 1.2.1's log loss for float64 input: <c>np.finfo(float64).eps</c>.</summary>
    internal const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Area under the ROC curve (scikit-learn's <c>roc_auc_score</c>): tied scores form one point of the curve and the
    /// area is summed by trapezoids, which equals the average-rank statistic with ties counted half.
    /// </summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="scores">Any real scores; higher means more likely positive.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The AUC, or NaN when only one class has weight (scikit-learn raises there; we do not).</returns>
    public static double Auc(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, scores, weights, scoresAreProbabilities: false);
        return Auc(ThresholdCurve.Build(labels, scores, weights));
    }

    /// <summary>
    /// Average precision, the area under the precision-recall curve as scikit-learn's <c>average_precision_score</c>
    /// computes it: the sum over distinct thresholds of (recall gain) x precision, a step function without interpolation.
    /// </summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="scores">Any real scores; higher means more likely positive.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The average precision, or NaN when no positive row has weight (scikit-learn returns 0 with a warning).</returns>
    public static double AveragePrecision(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, scores, weights, scoresAreProbabilities: false);
        return AveragePrecision(ThresholdCurve.Build(labels, scores, weights));
    }

    /// <summary>Counts the decisions at a threshold.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="scores">Any real scores.</param>
    /// <param name="threshold">Rows scoring at least this are predicted positive.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The (weighted) confusion matrix.</returns>
    public static ConfusionMatrix Confusion(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, double threshold = 0.5, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, scores, weights, scoresAreProbabilities: false);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must not be NaN.");
        }

        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = MetricInput.Weight(weights, i);
            var predicted = scores[i] >= threshold;
            if (labels[i] == 1f)
            {
                if (predicted)
                {
                    tp += w;
                }
                else
                {
                    fn += w;
                }
            }
            else if (predicted)
            {
                fp += w;
            }
            else
            {
                tn += w;
            }
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>Finds the threshold, among the distinct scores, that maximises F1.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="scores">Any real scores.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The best threshold and its F1; F1 0 and threshold NaN when there is no positive row.</returns>
    public static BestF1 FindBestF1(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, scores, weights, scoresAreProbabilities: false);
        var curve = ThresholdCurve.Build(labels, scores, weights);
        var positives = curve.TotalPositive;
        if (!(positives > 0))
        {
            return new BestF1(double.NaN, 0d);
        }

        double bestF1 = -1, bestThreshold = double.NaN;
        for (var k = 0; k < curve.Thresholds.Length; k++)
        {
            var tp = curve.TruePositives[k];
            var predicted = tp + curve.FalsePositives[k];
            var precision = predicted > 0 ? tp / predicted : 0;
            var recall = tp / positives;
            var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;

            // Scores run high to low, so ">=" keeps the lowest threshold among equal F1 values, as numpy's argmax
            // over scikit-learn's ascending thresholds does.
            if (f1 >= bestF1)
            {
                bestF1 = f1;
                bestThreshold = curve.Thresholds[k];
            }

            if (tp >= positives)
            {
                // Lower thresholds only add false positives.
                break;
            }
        }

        return new BestF1(bestThreshold, bestF1);
    }

    /// <summary>
    /// Mean negative log-likelihood (scikit-learn 1.2.1's <c>log_loss</c> with <c>eps="auto"</c>): probabilities are
    /// clipped to [eps, 1 - eps] with eps the double machine epsilon (2.22e-16), so a confident mistake costs about 36, not infinity.
    /// </summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">Probabilities of the positive class in [0, 1].</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The weighted mean log loss, or NaN when the total weight is zero.</returns>
    public static double LogLoss(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, probabilities, weights, scoresAreProbabilities: true);
        double sum = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = MetricInput.Weight(weights, i);
            sum += w * PointLogLoss(labels[i], probabilities[i]);
            total += w;
        }

        return total > 0 ? sum / total : double.NaN;
    }

    /// <summary>Mean squared difference between probability and label (scikit-learn's <c>brier_score_loss</c>).</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">Probabilities of the positive class in [0, 1].</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The weighted Brier score, or NaN when the total weight is zero.</returns>
    public static double Brier(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, probabilities, weights, scoresAreProbabilities: true);
        double sum = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = MetricInput.Weight(weights, i);
            var d = (double)labels[i] - probabilities[i];
            sum += w * d * d;
            total += w;
        }

        return total > 0 ? sum / total : double.NaN;
    }

    /// <summary>Expected calibration error; see <see cref="ReliabilityDiagram"/> for the bins.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">Probabilities in [0, 1].</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <param name="bins">The number of bins.</param>
    /// <param name="binning">Equal-width (the usual ECE, and the default) or equal-mass bins.</param>
    /// <returns>The sum over bins of |mean probability - positive rate| times the bin's weight share.</returns>
    public static double ExpectedCalibrationError(
        ReadOnlySpan<float> labels,
        ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> weights = default,
        int bins = 10,
        CalibrationBinning binning = CalibrationBinning.EqualWidth)
        => ReliabilityDiagram.Compute(labels, probabilities, weights, bins, binning).ExpectedCalibrationError;

    /// <summary>Maximum calibration error: the largest |mean probability - positive rate| over non-empty bins.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">Probabilities in [0, 1].</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <param name="bins">The number of bins.</param>
    /// <param name="binning">Equal-width (the default) or equal-mass bins.</param>
    /// <returns>The maximum calibration error.</returns>
    public static double MaximumCalibrationError(
        ReadOnlySpan<float> labels,
        ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> weights = default,
        int bins = 10,
        CalibrationBinning binning = CalibrationBinning.EqualWidth)
        => ReliabilityDiagram.Compute(labels, probabilities, weights, bins, binning).MaximumCalibrationError;

    internal static double Auc(ThresholdCurve curve)
    {
        var p = curve.TotalPositive;
        var n = curve.TotalNegative;
        if (!(p > 0) || !(n > 0))
        {
            return double.NaN;
        }

        double area = 0, prevTp = 0, prevFp = 0;
        for (var k = 0; k < curve.Thresholds.Length; k++)
        {
            var tp = curve.TruePositives[k] / p;
            var fp = curve.FalsePositives[k] / n;
            area += (fp - prevFp) * (tp + prevTp) / 2;
            prevTp = tp;
            prevFp = fp;
        }

        return area;
    }

    internal static double AveragePrecision(ThresholdCurve curve)
    {
        var p = curve.TotalPositive;
        if (!(p > 0))
        {
            return double.NaN;
        }

        double ap = 0, prevRecall = 0;
        for (var k = 0; k < curve.Thresholds.Length; k++)
        {
            var tp = curve.TruePositives[k];
            var predicted = tp + curve.FalsePositives[k];
            var recall = tp / p;
            if (recall > prevRecall)
            {
                ap += (recall - prevRecall) * (tp / predicted);
                prevRecall = recall;
            }
        }

        return ap;
    }

    internal static double PointLogLoss(float label, float probability)
    {
        // Clip, build the two-column form and renormalise, exactly as scikit-learn 1.2.1 does.
        var p = Math.Clamp((double)probability, LogLossEpsilon, 1 - LogLossEpsilon);
        var q = 1 - p;
        return label == 1f ? -Math.Log(p / (p + q)) : -Math.Log(q / (p + q));
    }

}
