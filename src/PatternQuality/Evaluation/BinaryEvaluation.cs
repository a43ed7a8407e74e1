using System.Text.Json.Serialization;
using PatternQuality.Evaluation.Internal;
using PatternQuality.Internal;

namespace PatternQuality.Evaluation;

/// <summary>
/// Every binary metric of one set of predictions, computed together. Degenerate inputs give NaN plus an entry in
/// <see cref="Warnings"/>, never an exception (a cross-validation fold with one class still reports).
/// </summary>
public sealed record BinaryEvaluation
{
    /// <summary>Gets the number of rows evaluated.</summary>
    public required int Count { get; init; }

    /// <summary>Gets the threshold at or above which a row is predicted positive.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Threshold { get; init; }

    /// <summary>Gets the ROC AUC, NaN when only one class is present.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Auc { get; init; }

    /// <summary>Gets the average precision (PR AUC), NaN when there is no positive row.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double PrAuc { get; init; }

    /// <summary>Gets the accuracy at <see cref="Threshold"/>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Accuracy { get; init; }

    /// <summary>Gets the precision at <see cref="Threshold"/> (0 when nothing is predicted positive).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Precision { get; init; }

    /// <summary>Gets the recall at <see cref="Threshold"/> (0 when there are no positives).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Recall { get; init; }

    /// <summary>Gets the F1 at <see cref="Threshold"/>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double F1 { get; init; }

    /// <summary>Gets the threshold that maximises F1 (NaN when there are no positives).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double BestF1Threshold { get; init; }

    /// <summary>Gets the F1 at <see cref="BestF1Threshold"/>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double BestF1 { get; init; }

    /// <summary>Gets the log loss.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double LogLoss { get; init; }

    /// <summary>Gets the Brier score.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Brier { get; init; }

    /// <summary>Gets the expected calibration error over 10 equal-width bins.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Ece { get; init; }

    /// <summary>Gets the maximum calibration error over 10 equal-width bins.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double Mce { get; init; }

    /// <summary>Gets the confusion matrix at <see cref="Threshold"/>.</summary>
    public required ConfusionMatrix ConfusionMatrix { get; init; }

    /// <summary>Gets what was degenerate about the input (one class, all scores equal), empty when nothing was.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Evaluates probabilities against labels.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">Predicted probabilities of the positive class, in [0, 1].</param>
    /// <param name="threshold">Rows at or above it are predicted positive.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The evaluation.</returns>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1, a probability is NaN or outside [0, 1], or a weight is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN.</exception>
    public static BinaryEvaluation Compute(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, double threshold = 0.5, ReadOnlySpan<float> weights = default)
    {
        MetricInput.CheckBinary(labels, probabilities, weights, scoresAreProbabilities: true);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must not be NaN.");
        }

        var curve = ThresholdCurve.Build(labels, probabilities, weights);
        var warnings = new List<string>();
        if (!(curve.TotalPositive > 0) || !(curve.TotalNegative > 0))
        {
            warnings.Add(curve.TotalPositive > 0
                ? "Only positive rows: AUC is undefined (NaN)."
                : "No positive rows: AUC and PR AUC are undefined (NaN), best-F1 threshold is NaN.");
        }

        if (curve.Thresholds.Length == 1 && labels.Length > 1)
        {
            warnings.Add($"All {labels.Length} scores are equal ({curve.Thresholds[0]}): the model does not rank.");
        }

        if (!(curve.TotalPositive + curve.TotalNegative > 0))
        {
            warnings.Add("The total weight is zero: weighted metrics are NaN.");
        }

        var confusion = BinaryMetrics.Confusion(labels, probabilities, threshold, weights);
        var best = BinaryMetrics.FindBestF1(labels, probabilities, weights);
        var diagram = ReliabilityDiagram.Compute(labels, probabilities, weights);
        return new BinaryEvaluation
        {
            Count = labels.Length,
            Threshold = threshold,
            Auc = BinaryMetrics.Auc(curve),
            PrAuc = BinaryMetrics.AveragePrecision(curve),
            Accuracy = confusion.Accuracy,
            Precision = confusion.Precision,
            Recall = confusion.Recall,
            F1 = confusion.F1,
            BestF1Threshold = best.Threshold,
            BestF1 = best.F1,
            LogLoss = BinaryMetrics.LogLoss(labels, probabilities, weights),
            Brier = BinaryMetrics.Brier(labels, probabilities, weights),
            Ece = diagram.ExpectedCalibrationError,
            Mce = diagram.MaximumCalibrationError,
            ConfusionMatrix = confusion,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// The headline metrics under their stable names, as the command-line tool's JSON writes them: exactly
    /// <c>auc, pr_auc, accuracy, precision, recall, f1, logloss, brier, ece</c>.
    /// </summary>
    /// <returns>A new dictionary, in that order.</returns>
    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [MetricNames.Auc] = Auc,
        [MetricNames.PrAuc] = PrAuc,
        [MetricNames.Accuracy] = Accuracy,
        [MetricNames.Precision] = Precision,
        [MetricNames.Recall] = Recall,
        [MetricNames.F1] = F1,
        [MetricNames.LogLoss] = LogLoss,
        [MetricNames.Brier] = Brier,
        [MetricNames.Ece] = Ece,
    };
}
