using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq explain</c>: the raw TreeSHAP contributions of every row of a data file, one column per model feature plus
/// <c>bias</c>, in the model's raw space (log-odds for gbdt, probability for forest). Each row sums to the raw score,
/// so the file compares directly with XGBoost's <c>pred_contribs=True</c> output. A multiclass version writes one block
/// per class (<c>CLASS:FEATURE</c> columns then <c>CLASS:bias</c>, class after class, XGBoost's (K, F + 1) layout
/// flattened), each block summing to that class's softmax input; <c>--class NAME</c> writes one class's block with the
/// binary layout.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: true);
        var output = new Option<string>("--out") { Description = "The CSV file to write: one column per model feature plus bias, one row per input row.", Required = true };
        var classOption = new Option<string?>("--class") { Description = "Multiclass versions: write only this class's contributions (one column per feature plus bias) instead of one block per class." };
        var json = JsonOutput.CreateOption();
        var command = new Command("explain", "Write the exact TreeSHAP contributions (raw margin) of every row: one column per model feature plus bias; each row sums to the raw score.");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(classOption);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            using var manager = store.Open(result, mustExist: true);
            var className = result.GetValue(classOption);
            if (await MulticlassCli.TryLoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false) is { } multiclass)
            {
                return await ExplainMulticlassAsync(stdout, data, result, multiclass.Version, multiclass.Model, className, result.GetValue(output)!, result.GetValue(json), cancellationToken).ConfigureAwait(false);
            }

            if (className is not null)
            {
                throw new ArgumentException("--class names a class of a multiclass model; the version explained is a binary model (its contributions are towards approval).");
            }

            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            if (!loaded.Model.CanExplain)
            {
                throw new NotSupportedException($"Version {loaded.Version} cannot explain its scores: explanations need a tree model (gbdt or forest).");
            }

            var rows = ModelInput.LoadForScoring(data, result, loaded, cancellationToken);
            var path = result.GetValue(output)!;
            var text = ContributionsCsv.Binary(loaded.Model, rows, cancellationToken);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject { ["version"] = loaded.Version, ["rows"] = rows.RowCount, ["features"] = loaded.Model.Info.Schema.Count, ["out"] = path });
            }
            else
            {
                stdout.WriteLine($"Explained {rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows with version {loaded.Version}; wrote {path}");
            }

            return 0;
        }));
        return command;
    }

    private static async Task<int> ExplainMulticlassAsync(
        TextWriter stdout, DataArguments data, ParseResult result, string version, Scoring.MulticlassQualityModel model, string? className, string path, bool asJson, CancellationToken cancellationToken)
    {
        int? only = null;
        if (className is not null)
        {
            var index = model.ClassNames.ToList().IndexOf(className);
            only = index >= 0 ? index : throw new ArgumentException($"--class '{className}' is not a class of version '{version}'; its classes are {string.Join(", ", model.ClassNames)}.");
        }

        var (table, features) = MulticlassRows.Map(data, result, version, model, cancellationToken);
        var text = ContributionsCsv.Multiclass(model, features, table.RowCount, only, cancellationToken);
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        if (asJson)
        {
            JsonOutput.Write(stdout, new JsonObject
            {
                ["version"] = version,
                ["rows"] = table.RowCount,
                ["features"] = model.Info.Schema.Count,
                ["classes"] = new JsonArray([.. model.ClassNames.Where((_, c) => only is null || only == c).Select(n => (JsonNode)n)]),
                ["out"] = path,
            });
        }
        else
        {
            var which = only is { } c ? $"class {model.ClassNames[c]}" : $"{model.ClassCount} classes";
            stdout.WriteLine($"Explained {table.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows ({which}) with multiclass version {version}; wrote {path}");
        }

        return 0;
    }
}
