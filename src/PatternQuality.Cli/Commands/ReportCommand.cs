using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Reporting;
using PatternQuality.Evaluation;
using PatternQuality.Scoring;

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
                return await MulticlassReport.WriteAsync(stdout, data, result, multiclass.Version, multiclass.Model, multiclass.Metadata, result.GetValue(output)!, result.GetValue(json), cancellationToken).ConfigureAwait(false);
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
                FeatureImportance = ReportImportance.Gain(loaded.Model.Predictor),
                ShapImportance = loaded.Model.CanExplain ? ShapImportance.MeanAbsolute(loaded.Model, ReportImportance.Sample(rows, ReportImportance.ShapRows), cancellationToken) : [],
                PermutationImportance = ReportImportance.Permutation(loaded.Model, rows, cancellationToken),
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
}
