using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq explain</c>: the raw TreeSHAP contributions of every row of a data file, one column per model feature plus
/// <c>bias</c>, in the model's raw space (log-odds for gbdt, probability for forest). Each row sums to the raw score,
/// so the file compares directly with XGBoost's <c>pred_contribs=True</c> output.
/// </summary>
internal static class ExplainCommand
{
    public const string BiasColumn = "bias";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: true);
        var output = new Option<string>("--out") { Description = "The CSV file to write: one column per model feature plus bias, one row per input row.", Required = true };
        var json = JsonOutput.CreateOption();
        var command = new Command("explain", "Write the exact TreeSHAP contributions (raw margin) of every row: one column per model feature plus bias; each row sums to the raw score.");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            using var manager = store.Open(result, mustExist: true);
            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            if (!loaded.Model.CanExplain)
            {
                throw new NotSupportedException($"Version {loaded.Version} cannot explain its scores: explanations need a tree model (gbdt or forest).");
            }

            var rows = ModelInput.LoadForScoring(data, result, loaded, cancellationToken);
            var path = result.GetValue(output)!;
            var text = Contributions(loaded.Model, rows, cancellationToken);
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

    internal static string Contributions(Scoring.QualityModel model, MappedRows rows, CancellationToken cancellationToken)
    {
        var schema = model.Info.Schema;
        var f = schema.Count;
        var sb = new StringBuilder();
        for (var j = 0; j < f; j++)
        {
            Field(sb, schema[j].Name).Append(',');
        }

        sb.Append(schema.IndexOf(BiasColumn) >= 0 ? "pq_" + BiasColumn : BiasColumn).Append('\n');
        var phi = new double[f + 1];
        for (var i = 0; i < rows.RowCount; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            model.PredictContributions(rows.Features.AsSpan(i * f, f), phi);
            for (var j = 0; j <= f; j++)
            {
                // Round-trip formatting: the values are meant for exact comparison with other tools.
                sb.Append(phi[j].ToString("R", CultureInfo.InvariantCulture)).Append(j < f ? ',' : '\n');
            }
        }

        return sb.ToString();
    }

    private static StringBuilder Field(StringBuilder sb, string name)
        => name.Contains(',') || name.Contains('"')
            ? sb.Append('"').Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
            : sb.Append(name);
}
