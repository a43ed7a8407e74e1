using System.CommandLine;
using System.Globalization;
using System.Text;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;

namespace PatternQuality.Cli.Commands;

/// <summary>Data files read for a stored multiclass version (through the columns it was trained on), and the CSV <c>pq predict</c> writes for it.</summary>
internal static class MulticlassRows
{
    /// <summary>Maps a CSV file's rows through the model's saved columns (no label needed).</summary>
    public static (CsvTable Table, float[] Features) Map(DataArguments data, ParseResult result, string version, MulticlassQualityModel model, CancellationToken cancellationToken)
    {
        var path = CheckCsv(data, result, version, model, "scores");
        var options = data.ToCsvOptions(result);
        var table = Read(path, options, version, model, cancellationToken);

        var features = ModelInput.Extract(table, model.CreateRowExtractor(), path, cancellationToken);
        return (table, features);
    }

    /// <summary>Labelled rows for a multiclass version: the file's label column read with the model's class names.</summary>
    public static CsvLoadResult LoadLabelled(DataArguments data, ParseResult result, string version, MulticlassQualityModel model, CancellationToken cancellationToken)
    {
        var path = CheckCsv(data, result, version, model, "evaluates");

        var options = data.ToCsvOptions(result, requireLabel: true);
        options.Multiclass = true;
        foreach (var name in model.ClassNames)
        {
            options.ClassNames.Add(name);
        }

        _ = Read(path, options, version, model, cancellationToken);
        return CsvDatasetLoader.Load(path, options, model.CreateRowExtractor(), cancellationToken);
    }

    /// <summary>The input rows with one probability column per class (<c>p_NAME</c>), then the top class and its probability.</summary>
    public static string PredictCsv(CsvTable table, MulticlassQualityModel model, float[] probabilities)
    {
        var d = table.Delimiter;
        var k = model.ClassCount;
        var header = new List<string>(table.Header);
        string Fresh(string name) => header.Contains(name, StringComparer.Ordinal) ? "pq_" + name : name;
        var added = model.ClassNames.Select(n => Fresh("p_" + n)).Append(Fresh(MulticlassCli.ClassColumn)).Append(Fresh(MulticlassCli.ConfidenceColumn)).ToList();
        var sb = new StringBuilder();
        ScoredCsv.AppendRow(sb, [.. header, .. added], d).Append('\n');
        for (var i = 0; i < table.RowCount; i++)
        {
            var p = probabilities.AsSpan(i * k, k);
            var values = new List<string>(table.GetValues(i));
            var best = 0;
            for (var c = 0; c < k; c++)
            {
                values.Add(p[c].ToString("0.######", CultureInfo.InvariantCulture));
                best = p[c] > p[best] ? c : best;
            }

            values.Add(model.ClassNames[best]);
            values.Add(p[best].ToString("0.######", CultureInfo.InvariantCulture));
            ScoredCsv.AppendRow(sb, values, d).Append('\n');
        }

        return sb.ToString();
    }

    // A multiclass version keeps the CSV columns it was trained on; other inputs cannot be mapped.
    private static string CheckCsv(DataArguments data, ParseResult result, string version, MulticlassQualityModel model, string verb)
    {
        var path = result.GetValue(data.Data)!;
        return data.IsSvmLight(result) || model.Columns is null
            ? throw new PatternQualityException($"Multiclass version '{version}' {verb} CSV files with the columns it was trained on; '{path}' cannot be read that way.")
            : path;
    }

    // The file as a table, refused with every column the version reads that it lacks.
    private static CsvTable Read(string path, CsvLoadOptions options, string version, MulticlassQualityModel model, CancellationToken cancellationToken)
    {
        var table = CsvTable.Read(path, options.Delimiter, options.HasHeader, cancellationToken);
        var missing = model.GetMissingColumns(table.Header);
        return missing.Count > 0
            ? throw new PatternQualityException($"The data file '{path}' lacks {missing.Count} column(s) multiclass version '{version}' reads: {string.Join(", ", missing)}.")
            : table;
    }
}
