namespace PatternQuality.Evaluation;

/// <summary>Helpers for <see cref="EvaluationMetric"/>.</summary>
public static class EvaluationMetricExtensions
{
    /// <summary>Tells whether larger values of the metric are better.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns><see langword="true"/> for AUC, PR AUC, accuracy and F1; <see langword="false"/> for the losses and ECE.</returns>
    public static bool IsHigherBetter(this EvaluationMetric metric) => metric switch
    {
        EvaluationMetric.Auc or EvaluationMetric.PrAuc or EvaluationMetric.Accuracy or EvaluationMetric.F1 => true,
        EvaluationMetric.LogLoss or EvaluationMetric.Brier or EvaluationMetric.Ece => false,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Reads the metric from an evaluation.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The value.</returns>
    public static double ValueOf(this EvaluationMetric metric, BinaryEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return metric switch
        {
            EvaluationMetric.Auc => evaluation.Auc,
            EvaluationMetric.PrAuc => evaluation.PrAuc,
            EvaluationMetric.LogLoss => evaluation.LogLoss,
            EvaluationMetric.Brier => evaluation.Brier,
            EvaluationMetric.Accuracy => evaluation.Accuracy,
            EvaluationMetric.F1 => evaluation.F1,
            EvaluationMetric.Ece => evaluation.Ece,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
    }
}
