using System.CommandLine;
using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Data.Parquet;
using PatternQuality.Features;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// The data flags every data command shares (inspect, train, cv, evaluate, predict, replay), and how they turn into
/// loader options. Create one per command; add it with <see cref="AddTo"/>.
/// </summary>
internal sealed class DataArguments
{
    public Option<string> Data { get; } = new("--data") { Description = "The data file (CSV, Parquet or SVMlight).", Required = true };

    public Option<string?> Format { get; } = new("--format") { Description = "csv, parquet or svmlight (default: .parquet/.pq files are Parquet, otherwise detected from the first line)." };

    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "CSV field delimiter, one character or \\t (default: detected)." };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The CSV file has no header row; columns are named c0, c1, ..." };

    public Option<string?> Label { get; } = new("--label") { Description = "The label column." };

    public Option<string?> Positive { get; } = new("--positive") { Description = "The label value that means approved." };

    public Option<double?> Threshold { get; } = new("--threshold") { Description = "Label values at or above this number mean approved (for example 4 for ratings)." };

    public Option<string?> Drop { get; } = new("--drop") { Description = "Columns to ignore, comma-separated." };

    public Option<string?> Time { get; } = new("--time") { Description = "The time column (unix seconds or ISO 8601)." };

    public Option<string[]> HistoryKey { get; } = new("--history-key") { Description = "A column whose earlier feedback gives history features (repeatable)." };

    public Option<string?> Group { get; } = new("--group") { Description = "The user or group column." };

    public Option<string?> Query { get; } = new("--query") { Description = "SVMlight query file (group sizes, one per line)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Format, Delimiter, NoHeader, Label, Positive, Threshold, Drop, Time, HistoryKey, Group, Query })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Returns true for SVMlight, from --format or by sniffing the first line.</summary>
    public bool IsSvmLight(ParseResult result)
    {
        var format = ParseFormat(result);
        if (format is not null)
        {
            return format == "svmlight";
        }

        var path = result.GetValue(Data)!;
        return !ParquetDatasetLoader.IsParquetPath(path) && SvmLightLoader.LooksLikeSvmLight(path);
    }

    /// <summary>Returns true when <paramref name="path"/> (--data or another file of the same command) is read as Parquet: --format parquet, or by its extension.</summary>
    public bool IsParquet(ParseResult result, string path)
    {
        var format = ParseFormat(result);
        return format is null ? ParquetDatasetLoader.IsParquetPath(path) : format == "parquet";
    }

    /// <summary>Reads a CSV or Parquet file into a dataset (the loaders' one code path: the same cells give the same dataset).</summary>
    public CsvLoadResult LoadRows(
        ParseResult result, string path, CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>>? extractor, CancellationToken cancellationToken)
        => IsParquet(result, path)
            ? ParquetDatasetLoader.LoadAsync(path, options, extractor, cancellationToken).GetAwaiter().GetResult()
            : CsvDatasetLoader.Load(path, options, extractor, cancellationToken);

    /// <summary>Reads a CSV or Parquet file's raw table (for scoring rows and writing them back).</summary>
    public CsvTable ReadTable(ParseResult result, string path, CsvLoadOptions options, CancellationToken cancellationToken)
        => IsParquet(result, path)
            ? ParquetDatasetLoader.ReadTableAsync(path, options.Drop, cancellationToken).GetAwaiter().GetResult()
            : CsvTable.Read(path, options.Delimiter, options.HasHeader, cancellationToken);

    /// <summary>Summarizes a CSV or Parquet file.</summary>
    public DataInspection InspectRows(ParseResult result, string path, CsvLoadOptions options, CancellationToken cancellationToken)
        => IsParquet(result, path)
            ? ParquetDatasetLoader.InspectAsync(path, options, cancellationToken).GetAwaiter().GetResult()
            : CsvDatasetLoader.Inspect(path, options, cancellationToken);

    private string? ParseFormat(ParseResult result) => result.GetValue(Format) is not { } format
        ? null
        : format.ToLowerInvariant() switch
        {
            "csv" => "csv",
            "parquet" => "parquet",
            "svmlight" or "libsvm" => "svmlight",
            _ => throw new ArgumentException($"--format must be csv, parquet or svmlight (was '{format}')."),
        };

    /// <summary>The CSV loader options the flags describe.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="requireLabel">Whether the command needs labelled rows, so a missing <c>--label</c> is an error naming the flag.</param>
    public CsvLoadOptions ToCsvOptions(ParseResult result, bool requireLabel = false)
    {
        if (requireLabel && result.GetValue(Label) is null)
        {
            throw new ArgumentException("--label is required: name the column that says whether a row was approved.");
        }

        var options = new CsvLoadOptions
        {
            HasHeader = !result.GetValue(NoHeader),
            LabelColumn = result.GetValue(Label),
            PositiveValue = result.GetValue(Positive),
            Threshold = result.GetValue(Threshold),
            TimeColumn = result.GetValue(Time),
            GroupColumn = result.GetValue(Group),
        };
        if (result.GetValue(Delimiter) is { } d)
        {
            options.Delimiter = d switch
            {
                "\\t" or "tab" => '\t',
                { Length: 1 } => d[0],
                _ => throw new ArgumentException($"--delimiter must be one character or \\t (was '{d}')."),
            };
        }

        if (result.GetValue(Drop) is { } drop)
        {
            foreach (var c in drop.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Drop.Add(c);
            }
        }

        foreach (var key in result.GetValue(HistoryKey) ?? [])
        {
            options.HistoryKeys.Add(key);
        }

        return options;
    }

    public SvmLightLoadOptions ToSvmLightOptions(ParseResult result) => new()
    {
        QueryFile = result.GetValue(Query),
        LabelThreshold = result.GetValue(Threshold),
    };

    /// <summary>Loads the labelled rows that --data and the other options describe.</summary>
    public Dataset LoadLabelled(ParseResult result, CancellationToken cancellationToken)
    {
        var path = result.GetValue(Data)!;
        if (IsSvmLight(result))
        {
            return SvmLightLoader.Load(path, ToSvmLightOptions(result), cancellationToken);
        }

        return LoadRows(result, path, ToCsvOptions(result, requireLabel: true), null, cancellationToken).Dataset;
    }

    public static string FormatNumber(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
