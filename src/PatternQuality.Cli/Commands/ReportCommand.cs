using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Reporting;
using PatternQuality.Evaluation;
using PatternQuality.Scoring;
using PatternQuality.Trees;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq report</c>: one self-contained HTML file (inline SVG, no scripts) about a stored version on a labelled data file.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: true);
        var output = new Option<string>("--out") { Description = "The HTML file to write.", DefaultValueFactory = _ => "report.html" };
        var json = JsonOutput.CreateOption();
        var command = new Command("report", "Write one self-contained HTML report: metrics, ROC, precision-recall and reliability diagrams, and feature importance.");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            using var manager = store.Open(result, mustExist: true);
            if (await MulticlassCli.TryLoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false) is { } multiclass)
            {
                return await ReportMulticlassAsync(stdout, data, result, multiclass.Version, multiclass.Model, multiclass.Metadata, result.GetValue(output)!, result.GetValue(json), cancellationToken).ConfigureAwait(false);
            }

            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            var rows = ModelInput.LoadLabelled(data, result, loaded, cancellationToken);
            var scores = ModelInput.Score(loaded.Model, rows);
            var metrics = BinaryEvaluation.Compute(rows.Labels, scores).ToDictionary();
            var dataPath = result.GetValue(data.Data)!;
            var content = new ReportContent
            {
                Title = $"PatternQuality model {loaded.Version}",
                Summary =
                [
                    new("Model version", loaded.Version),
                    new("Trainer", loaded.Model.Info.Trainer),
                    new("Calibration", loaded.Model.Calibrator.Method.ToString()),
                    new("Created", VersionsCommand.Iso(loaded.Metadata.CreatedAt)),
                    new("Trained on", loaded.Metadata.TrainingRows.ToString("N0", CultureInfo.InvariantCulture) + " rows"),
                    new("Evaluated on", $"{dataPath} ({rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows)"),
                    new("Gate decision", loaded.Metadata.Decision ?? "-"),
                ],
                Metrics = metrics.ToList(),
                Labels = rows.Labels!,
                Scores = scores,
                FeatureImportance = Importance(loaded.Model.Predictor),
                ShapImportance = loaded.Model.CanExplain ? ShapImportance.MeanAbsolute(loaded.Model, Sample(rows, ShapRows), cancellationToken) : [],
                PermutationImportance = Permutation(loaded.Model, rows, cancellationToken),
            };
            var path = result.GetValue(output)!;
            await File.WriteAllTextAsync(path, HtmlReportWriter.Render(content), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject { ["version"] = loaded.Version, ["rows"] = rows.RowCount, ["out"] = path, ["metrics"] = JsonOutput.Metrics(metrics) });
            }
            else
            {
                stdout.WriteLine($"Wrote {path} (version {loaded.Version}, {rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows).");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The multiclass report: log loss, accuracy and macro-F1, per-class precision/recall/F1, the confusion matrix, gain
    /// importance, and the global TreeSHAP summary per class (mean |contribution| to each class's softmax input). The
    /// binary curves (ROC, precision-recall, reliability) and AUC-based permutation importance do not apply.
    /// </summary>
    private static async Task<int> ReportMulticlassAsync(
        TextWriter stdout, DataArguments data, ParseResult result, string version, MulticlassQualityModel model, Storage.ModelMetadata metadata, string path, bool asJson, CancellationToken cancellationToken)
    {
        var load = MulticlassCli.LoadLabelled(data, result, version, model, cancellationToken);
        var rows = load.Dataset;
        var k = model.ClassCount;
        var probabilities = new float[rows.RowCount * k];
        model.PredictProbabilities(rows.Features.Span, probabilities);
        var labels = rows.Labels.Span;
        var metrics = MulticlassCli.Metrics(labels, probabilities, k);
        var perClass = MulticlassMetrics.PerClass(labels, probabilities, k);
        var confusion = MulticlassMetrics.ConfusionCounts(labels, probabilities, k);
        var width = model.Info.Schema.Count;
        var shap = ShapImportance.MeanAbsolute(model, rows.Features[..(Math.Min(rows.RowCount, ShapRows) * width)], cancellationToken);
        var names = model.ClassNames;
        var gains = model.Predictor.GetFeatureImportance().Values.ToList();
        var totalGain = gains.Sum(g => g.Gain);
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
            FeatureImportance = totalGain <= 0 ? [] : gains.Select(g => new KeyValuePair<string, double>(g.FeatureName, g.Gain / totalGain)).ToList(),
            ShapImportanceByClass = [.. names.Select((n, c) => new KeyValuePair<string, IReadOnlyList<KeyValuePair<string, double>>>(n, shap[c]))],
            Tables =
            [
                new ReportTable("Per class", ["class", "precision", "recall", "F1", "support"], [.. perClass.Select(c => (IReadOnlyList<string>)[names[c.Class], F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture)])]),
                new ReportTable("Confusion matrix (rows: true class, columns: predicted class)", ["true \\ predicted", .. names], [.. confusion.Select((row, c) => (IReadOnlyList<string>)[names[c], .. row.Select(v => v.ToString(CultureInfo.InvariantCulture))])]),
                new ReportTable(
                    $"Mean |SHAP| per class (raw softmax-input units, first {Math.Min(rows.RowCount, ShapRows).ToString("N0", CultureInfo.InvariantCulture)} rows)",
                    ["feature", .. names],
                    [.. Enumerable.Range(0, width).Select(j => (IReadOnlyList<string>)[model.Info.Schema[j].Name, .. shap.Select(perFeature => F(perFeature[j].Value))])]),
            ],
        };
        await File.WriteAllTextAsync(path, HtmlReportWriter.Render(content), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        if (asJson)
        {
            JsonOutput.Write(stdout, new JsonObject { ["version"] = version, ["rows"] = rows.RowCount, ["out"] = path, ["objective"] = "multiclass", ["metrics"] = MulticlassCli.MetricsJson(metrics) });
        }
        else
        {
            stdout.WriteLine($"Wrote {path} (multiclass version {version}, {rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows).");
        }

        return 0;
    }

    /// <summary>Rows explained for the global SHAP summary: the first ones of the file (enough for a stable mean, bounded time).</summary>
    internal const int ShapRows = 5_000;

    /// <summary>Rows permuted for permutation importance (each feature scores them three times).</summary>
    internal const int PermutationRows = 20_000;

    internal static ReadOnlyMemory<float> Sample(MappedRows rows, int count)
    {
        var width = rows.RowCount == 0 ? 0 : rows.Features.Length / rows.RowCount;
        return rows.Features.AsMemory(0, Math.Min(rows.RowCount, count) * width);
    }

    /// <summary>Mean AUC drop per feature on the same kind of rows, beside the SHAP summary; empty when it cannot be measured.</summary>
    internal static IReadOnlyList<KeyValuePair<string, double>> Permutation(Scoring.QualityModel model, MappedRows rows, CancellationToken cancellationToken)
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
    internal static IReadOnlyList<KeyValuePair<string, double>> Importance(Learning.IPredictor predictor)
    {
        if (predictor is not TreeEnsembleModel trees)
        {
            return [];
        }

        var gains = trees.GetFeatureImportance().Values.ToList();
        var total = gains.Sum(g => g.Gain);
        return total <= 0 ? [] : gains.Select(g => new KeyValuePair<string, double>(g.FeatureName, g.Gain / total)).ToList();
    }
}
