namespace PatternQuality.Evaluation;

/// <summary>Which NDCG convention <see cref="RankingMetrics.Ndcg"/> follows. The two give different numbers; compare like with like.</summary>
public enum NdcgGain
{
    /// <summary>
    /// LightGBM's (and XGBoost's) <c>ndcg@k</c>: gain 2^relevance - 1, documents with equal scores kept in row order,
    /// and a query with no relevant document counts as 1.
    /// </summary>
    Exponential = 0,

    /// <summary>
    /// scikit-learn's <c>ndcg_score</c> (with <c>ignore_ties=False</c>): gain = relevance, documents with equal scores
    /// share the average of their gains, and a query with no relevant document counts as 0.
    /// </summary>
    Linear = 1,
}
