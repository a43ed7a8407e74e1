using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Reporting;
using PatternQuality.Evaluation;
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
