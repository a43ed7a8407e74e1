using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Data;
using PatternQuality.Features;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq inspect</c>: the inferred schema, row count, missing values, cardinalities, label balance and time range of a data file.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var json = new Option<bool>("--json") { Description = "Print one JSON object and nothing else on stdout." };
        var command = new Command("inspect", "Show the inferred schema, row count, missing values, category cardinalities, label balance and time range of a data file.");
        data.AddTo(command);
        command.Options.Add(json);
        command.SetAction(result => CommandErrors.Run(stderr, () =>
        {
            var inspection = Inspect(data, result);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, ToJson(inspection));
            }
            else
            {
                WriteTable(stdout, result.GetValue(data.Data)!, inspection);
            }

            return 0;
        }));
        return command;
    }

    internal static DataInspection Inspect(DataArguments data, ParseResult result)
    {
        var path = result.GetValue(data.Data)!;
        if (data.IsSvmLight(result))
        {
            return DatasetInspector.Inspect(SvmLightLoader.Load(path, data.ToSvmLightOptions(result)));
        }

        return data.InspectRows(result, path, data.ToCsvOptions(result), CancellationToken.None);
    }

    internal static JsonObject ToJson(DataInspection inspection)
    {
        var columns = new JsonArray();
        foreach (var c in inspection.Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["kind"] = c.Kind,
                ["missing"] = c.Missing,
                ["distinct"] = c.Distinct,
            });
        }

        return new JsonObject
        {
            ["rows"] = inspection.Rows,
            ["columns"] = columns,
            ["label"] = inspection.Positive is { } p
                ? new JsonObject { ["positive"] = p, ["negative"] = inspection.Negative }
                : null,
            ["time_range"] = inspection.TimeMin is { } min
                ? new JsonObject { ["min"] = Iso(min), ["max"] = Iso(inspection.TimeMax!.Value) }
                : null,
        };
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter stdout, string path, DataInspection inspection)
    {
        var console = HumanOutput.Create(stdout);
        console.WriteLine($"{path}: {inspection.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows, {inspection.Columns.Count} columns");
        var table = new Table().AddColumns("column", "kind", "missing", "distinct");
        foreach (var c in inspection.Columns)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                c.Kind,
                c.Missing.ToString(CultureInfo.InvariantCulture),
                c.Distinct.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (inspection.Positive is { } p)
        {
            var rate = inspection.Rows == 0 ? 0 : (double)p / inspection.Rows;
            console.WriteLine($"label: {p} positive, {inspection.Negative} negative ({DataArguments.FormatNumber(rate * 100)}% positive)");
        }

        if (inspection.TimeMin is { } min)
        {
            console.WriteLine($"time: {Iso(min)} to {Iso(inspection.TimeMax!.Value)}");
        }
    }
}
