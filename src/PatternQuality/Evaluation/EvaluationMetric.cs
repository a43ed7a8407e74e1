namespace PatternQuality.Evaluation;

/// <summary>A single binary metric, for choosing what cross-validation, permutation importance or model selection optimise.</summary>
public enum EvaluationMetric
{
    /// <summary>ROC AUC (higher is better).</summary>
    Auc = 0,

    /// <summary>Average precision (higher is better).</summary>
    PrAuc = 1,

    /// <summary>Log loss (lower is better).</summary>
    LogLoss = 2,

    /// <summary>Brier score (lower is better).</summary>
    Brier = 3,

    /// <summary>Accuracy at 0.5 (higher is better).</summary>
    Accuracy = 4,

    /// <summary>F1 at 0.5 (higher is better).</summary>
    F1 = 5,

    /// <summary>Expected calibration error, 10 equal-width bins (lower is better).</summary>
    Ece = 6,
}
