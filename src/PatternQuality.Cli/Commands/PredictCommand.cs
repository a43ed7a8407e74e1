using System.CommandLine;
using System.Globalization;
using System.Text;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq predict</c>: writes the input rows with a <c>score</c> column, the calibrated approval probability.</summary>
/// <remarks>
/// A label is not needed. History features use the state saved with the model as is: rows without labels teach it
/// nothing, so every row is scored with what the model knew at the end of training.
/// </remarks>
internal static class PredictCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: true);
        var output = new Option<string>("--out") { Description = "The CSV file to write: the input rows with a score column.", Required = true };
        var explain = new Option<int?>("--explain") { Description = "Add a reasons column: the K features that moved each row's score most (exact TreeSHAP), with their values and log-odds contributions." };
        var json = JsonOutput.CreateOption();
        var command = new Command("predict", "Score a data file with a stored model version and write its rows with a score column (calibrated approval probability).");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(explain);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var top = result.GetValue(explain);
            if (top is < 1)
            {
                throw new ArgumentException($"--explain must be at least 1 (got {top}).");
            }

            using var manager = store.Open(result, mustExist: true);
            if (await MulticlassCli.TryLoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false) is { } multiclassModel)
            {
                var (mcVersion, mcModel, _) = multiclassModel;
                if (top is not null)
                {
                    throw new ArgumentException($"--explain explains approval scores; version '{mcVersion}' is a multiclass model: write its per-class contributions with 'pq explain' (--class NAME for one class).");
                }

                var (mcTable, features) = MulticlassRows.Map(data, result, mcVersion, mcModel, cancellationToken);
                var probabilities = new float[mcTable.RowCount * mcModel.ClassCount];
                mcModel.PredictProbabilities(features, probabilities);
                var outPath = result.GetValue(output)!;
                await File.WriteAllTextAsync(outPath, MulticlassRows.PredictCsv(mcTable, mcModel, probabilities), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                if (result.GetValue(json))
                {
                    JsonOutput.Write(stdout, new System.Text.Json.Nodes.JsonObject { ["version"] = mcVersion, ["rows"] = mcTable.RowCount, ["out"] = outPath });
                }
                else
                {
                    stdout.WriteLine($"Predicted {mcTable.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows with multiclass version {mcVersion} ({string.Join(", ", mcModel.ClassNames)}); wrote {outPath}");
                }

                return 0;
            }

            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            var rows = ModelInput.LoadForScoring(data, result, loaded, cancellationToken);
            var scores = ModelInput.Score(loaded.Model, rows);
            var path = result.GetValue(output)!;
            var reasons = top is { } k ? RowExplainer.Reasons(loaded.Model, rows, k, cancellationToken) : null;
            var text = rows.Table is { } table ? ScoredCsv.FromTable(table, scores, reasons) : ScoredCsv.FromDense(rows, loaded.Model.Info.Schema.Features.Select(f => f.Name).ToList(), scores, reasons);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new System.Text.Json.Nodes.JsonObject { ["version"] = loaded.Version, ["rows"] = rows.RowCount, ["out"] = path });
            }
            else
            {
                stdout.WriteLine($"Scored {rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows with version {loaded.Version}; wrote {path}");
            }

            return 0;
        }));
        return command;
    }
}
