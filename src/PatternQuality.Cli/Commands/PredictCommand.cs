using System.CommandLine;
using System.Globalization;
using System.Text;
using PatternQuality.Data;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq predict</c>: writes the input rows with a <c>score</c> column, the calibrated approval probability.</summary>
/// <remarks>
/// A label is not needed. History features use the state saved with the model as is: rows without labels teach it
/// nothing, so every row is scored with what the model knew at the end of training.
/// </remarks>
internal static class PredictCommand
{
    public const string ScoreColumn = "score";

    public const string ReasonsColumn = "reasons";

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
            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            var rows = ModelInput.LoadForScoring(data, result, loaded, cancellationToken);
            var scores = ModelInput.Score(loaded.Model, rows);
            var path = result.GetValue(output)!;
            var reasons = top is { } k ? RowExplainer.Reasons(loaded.Model, rows, k, cancellationToken) : null;
            var text = rows.Table is { } table ? CsvWithScores(table, scores, reasons) : DenseWithScores(rows, loaded.Model.Info.Schema.Features.Select(f => f.Name).ToList(), scores, reasons);
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

    /// <summary>The input table as it was (same delimiter and columns), with the score appended to every row.</summary>
    internal static string CsvWithScores(CsvTable table, float[] scores, string[]? reasons = null)
    {
        var d = table.Delimiter;
        var sb = new StringBuilder();
        var header = table.Header.Contains(ScoreColumn, StringComparer.Ordinal) ? "pq_" + ScoreColumn : ScoreColumn;
        AppendRow(sb, table.Header, d).Append(d).Append(header);
        if (reasons is not null)
        {
            sb.Append(d).Append(table.Header.Contains(ReasonsColumn, StringComparer.Ordinal) ? "pq_" + ReasonsColumn : ReasonsColumn);
        }

        sb.Append('\n');
        for (var i = 0; i < table.RowCount; i++)
        {
            AppendRow(sb, table.GetValues(i), d).Append(d).Append(FormatScore(scores[i]));
            if (reasons is not null)
            {
                AppendRow(sb.Append(d), [reasons[i]], d);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>An SVMlight file has no column names: write its label and dense features, then the score.</summary>
    internal static string DenseWithScores(MappedRows rows, IReadOnlyList<string> names, float[] scores, string[]? reasons = null)
    {
        var sb = new StringBuilder();
        sb.Append("label,").AppendJoin(',', names).Append(',').Append(ScoreColumn).Append(reasons is null ? string.Empty : "," + ReasonsColumn).Append('\n');
        var width = names.Count;
        for (var i = 0; i < rows.RowCount; i++)
        {
            sb.Append((rows.Labels?[i] ?? float.NaN).ToString(CultureInfo.InvariantCulture));
            for (var j = 0; j < width; j++)
            {
                sb.Append(',').Append(rows.Features[(i * width) + j].ToString(CultureInfo.InvariantCulture));
            }

            sb.Append(',').Append(FormatScore(scores[i]));
            if (reasons is not null)
            {
                AppendRow(sb.Append(','), [reasons[i]], ',');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string FormatScore(float score) => score.ToString("0.######", CultureInfo.InvariantCulture);

    private static StringBuilder AppendRow(StringBuilder sb, IReadOnlyList<string> values, char delimiter)
    {
        for (var j = 0; j < values.Count; j++)
        {
            if (j > 0)
            {
                sb.Append(delimiter);
            }

            var v = values[j] ?? string.Empty;
            if (v.Contains(delimiter) || v.Contains('"') || v.Contains('\n') || v.Contains('\r'))
            {
                sb.Append('"').Append(v.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(v);
            }
        }

        return sb;
    }
}
