namespace PatternQuality.Evaluation;

/// <summary>The stable metric names used in dictionaries, reports and the command-line tool's JSON.</summary>
public static class MetricNames
{
    /// <summary>ROC AUC.</summary>
    public const string Auc = "auc";

    /// <summary>Average precision (PR AUC).</summary>
    public const string PrAuc = "pr_auc";

    /// <summary>Accuracy at the threshold.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Precision at the threshold.</summary>
    public const string Precision = "precision";

    /// <summary>Recall at the threshold.</summary>
    public const string Recall = "recall";

    /// <summary>F1 at the threshold.</summary>
    public const string F1 = "f1";

    /// <summary>Log loss.</summary>
    public const string LogLoss = "logloss";

    /// <summary>Brier score.</summary>
    public const string Brier = "brier";

    /// <summary>Expected calibration error, 10 equal-width bins.</summary>
    public const string Ece = "ece";

    /// <summary>Macro-averaged F1 of a multiclass model: the mean over classes of each class's F1 (the top class is the prediction).</summary>
    public const string MacroF1 = "macro_f1";
}
