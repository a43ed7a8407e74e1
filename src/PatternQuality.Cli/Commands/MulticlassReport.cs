using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Reporting;
using PatternQuality.Evaluation;
using PatternQuality.Scoring;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq report</c> on a multiclass version.</summary>
internal static class MulticlassReport
{
    /// <summary>
    /// The multiclass report: log loss, accuracy and macro-F1, per-class precision/recall/F1, the confusion matrix, gain
    /// importance, and the global TreeSHAP summary per class (mean |contribution| to each class's softmax input). The
    /// binary curves (ROC, precision-recall, reliability) and AUC-based permutation importance do not apply.
    /// </summary>
    public static async Task<int> WriteAsync(
        TextWriter stdout, DataArguments data, ParseResult result, string version, MulticlassQualityModel model, Storage.ModelMetadata metadata, string path, bool asJson, CancellationToken cancellationToken)
    {
        var load = MulticlassRows.LoadLabelled(data, result, version, model, cancellationToken);
        var rows = load.Dataset;
        var k = model.ClassCount;
        var probabilities = new float[rows.RowCount * k];
        model.PredictProbabilities(rows.Features.Span, probabilities);
        var labels = rows.Labels.Span;
        var metrics = MulticlassMetricsOutput.Metrics(labels, probabilities, k);
        var perClass = MulticlassMetrics.PerClass(labels, probabilities, k);
        var confusion = MulticlassMetrics.ConfusionCounts(labels, probabilities, k);
        var width = model.Info.Schema.Count;
        var shap = ShapImportance.MeanAbsolute(model, rows.Features[..(Math.Min(rows.RowCount, ReportImportance.ShapRows) * width)], cancellationToken);
        var names = model.ClassNames;
        static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
        var dataPath = result.GetValue(data.Data)!;
        var content = new ReportContent
        {
            Title = $"PatternQuality multiclass model {version}",
            Summary =
            [
                new("Model version", version),
                new("Trainer", model.Info.Trainer),
                new("Classes", string.Join(", ", names)),
                new("Calibration", model.Calibrator.Method.ToString()),
                new("Created", VersionsCommand.Iso(metadata.CreatedAt)),
                new("Trained on", metadata.TrainingRows.ToString("N0", CultureInfo.InvariantCulture) + " rows"),
                new("Evaluated on", $"{dataPath} ({rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows)"),
                new("Gate decision", metadata.Decision ?? "-"),
            ],
            Metrics = metrics.ToList(),
            Labels = [],
            Scores = [],
            FeatureImportance = ReportImportance.GainShares(model.Predictor.GetFeatureImportance()),
            ShapImportanceByClass = [.. names.Select((n, c) => new KeyValuePair<string, IReadOnlyList<KeyValuePair<string, double>>>(n, shap[c]))],
            Tables =
            [
                new ReportTable("Per class", ["class", "precision", "recall", "F1", "support"], [.. perClass.Select(c => (IReadOnlyList<string>)[names[c.Class], F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture)])]),
                new ReportTable("Confusion matrix (rows: true class, columns: predicted class)", ["true \\ predicted", .. names], [.. confusion.Select((row, c) => (IReadOnlyList<string>)[names[c], .. row.Select(v => v.ToString(CultureInfo.InvariantCulture))])]),
                new ReportTable(
                    $"Mean |SHAP| per class (raw softmax-input units, first {Math.Min(rows.RowCount, ReportImportance.ShapRows).ToString("N0", CultureInfo.InvariantCulture)} rows)",
                    ["feature", .. names],
                    [.. Enumerable.Range(0, width).Select(j => (IReadOnlyList<string>)[model.Info.Schema[j].Name, .. shap.Select(perFeature => F(perFeature[j].Value))])]),
            ],
        };
        await File.WriteAllTextAsync(path, HtmlReportWriter.Render(content), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        if (asJson)
        {
            JsonOutput.Write(stdout, new JsonObject { ["version"] = version, ["rows"] = rows.RowCount, ["out"] = path, ["objective"] = "multiclass", ["metrics"] = MulticlassMetricsOutput.MetricsJson(metrics) });
        }
        else
        {
            stdout.WriteLine($"Wrote {path} (multiclass version {version}, {rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows).");
        }

        return 0;
    }
}
