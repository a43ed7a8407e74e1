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

    /// <summary>Mean average precision over ranking queries (documents with relevance 1 or more are relevant).</summary>
    public const string MeanAveragePrecision = "map";

    /// <summary>Mean reciprocal rank of the first relevant document over ranking queries.</summary>
    public const string MeanReciprocalRank = "mrr";

    /// <summary>The name of NDCG@k with linear gain (scikit-learn's <c>ndcg_score</c>): <c>ndcg@k</c>.</summary>
    /// <param name="k">The cut-off, 1 or more.</param>
    /// <returns>For example <c>ndcg@3</c>.</returns>
    public static string Ndcg(int k) => "ndcg@" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name of NDCG@k with exponential gain 2^label - 1 (LightGBM's <c>ndcg@k</c>): <c>ndcg_exp@k</c>.</summary>
    /// <param name="k">The cut-off, 1 or more.</param>
    /// <returns>For example <c>ndcg_exp@3</c>.</returns>
    public static string NdcgExponential(int k) => "ndcg_exp@" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
