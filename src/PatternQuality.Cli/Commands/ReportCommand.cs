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
