using PatternQuality.Trees;

namespace PatternQuality.Cli.Commands;

/// <summary>The importance tables of <c>pq report</c> (and the demo's report): gain shares, TreeSHAP rows, permutation importance.</summary>
internal static class ReportImportance
{
    /// <summary>Rows explained for the global SHAP summary: the first ones of the file (enough for a stable mean, bounded time).</summary>
    public const int ShapRows = 5_000;

    /// <summary>Rows permuted for permutation importance (each feature scores them three times).</summary>
    public const int PermutationRows = 20_000;

    public static ReadOnlyMemory<float> Sample(MappedRows rows, int count)
    {
        var width = rows.RowCount == 0 ? 0 : rows.Features.Length / rows.RowCount;
        return rows.Features.AsMemory(0, Math.Min(rows.RowCount, count) * width);
    }

    /// <summary>Mean AUC drop per feature on the same kind of rows, beside the SHAP summary; empty when it cannot be measured.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Permutation(Scoring.QualityModel model, MappedRows rows, CancellationToken cancellationToken)
    {
        if (rows.Dataset is not { } dataset || rows.Labels is null || rows.RowCount == 0)
        {
            return [];
        }

        var labels = rows.Labels;
        if (!labels.Any(l => l > 0.5f) || !labels.Any(l => l < 0.5f))
        {
            return [];
        }

        var n = Math.Min(rows.RowCount, PermutationRows);
        var width = dataset.Schema.Count;
        var sample = n == rows.RowCount ? dataset : new Data.Dataset(dataset.Schema, rows.Features.AsMemory(0, n * width).ToArray(), labels.AsSpan(0, n).ToArray());
        var result = Validation.PermutationImportance.Compute(model.Predictor, sample, new Validation.PermutationImportanceOptions { Repeats = 3 }, cancellationToken);
        return result.Ranked.Select(r => new KeyValuePair<string, double>(r.Name, Math.Max(0, r.Mean))).ToList();
    }

    /// <summary>Gain importance as shares of the total, for tree models; other predictors have none to show.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Gain(Learning.IPredictor predictor) =>
        predictor is TreeEnsembleModel trees ? GainShares(trees.GetFeatureImportance()) : [];

    /// <summary>Each feature's gain as a share of the total; empty when the model has no gain (a single leaf).</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> GainShares(IReadOnlyDictionary<string, FeatureImportance> importance)
    {
        var gains = importance.Values.ToList();
        var total = gains.Sum(g => g.Gain);
        return total <= 0 ? [] : gains.Select(g => new KeyValuePair<string, double>(g.FeatureName, g.Gain / total)).ToList();
    }
}
