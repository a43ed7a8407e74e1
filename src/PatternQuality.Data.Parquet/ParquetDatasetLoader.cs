using PatternQuality.Data.Parquet.Internal;
using PatternQuality.Features;

namespace PatternQuality.Data.Parquet;

/// <summary>
/// Reads Apache Parquet files into a <see cref="CsvTable"/>, a <see cref="Dataset"/> or a <see cref="DataInspection"/>,
/// exactly as <see cref="CsvDatasetLoader"/> reads the same cells from a CSV file, with each column's type taken from
/// the file rather than inferred from text.
/// </summary>
/// <remarks>
/// <para>
/// Row groups are streamed: each column chunk is decoded straight into the table's typed column (float columns
/// without any copy), so memory is the table itself plus one column chunk. Columns map as follows: <c>float</c> stays
/// float; <c>double</c>, integers and decimals become double (a feature column is then kept as float, as from CSV);
/// timestamps and dates become unix seconds (so a time column works as is); booleans become <c>true</c>/<c>false</c>
/// (a boolean feature); strings and UUIDs stay text. Nulls are empty cells.
/// </para>
/// <para>
/// Nested, repeated and binary columns cannot be features: they are an error naming the column unless
/// <see cref="CsvLoadOptions.Drop"/> names them. <see cref="CsvLoadOptions.Delimiter"/> and
/// <see cref="CsvLoadOptions.HasHeader"/> do not apply. Error messages name the file, the 1-based row (as "line")
/// and the column.
/// </para>
/// </remarks>
public static class ParquetDatasetLoader
{
    /// <summary>Reads every column of a Parquet file into a table.</summary>
    /// <param name="path">The file.</param>
    /// <param name="skipColumns">Columns not to read (their cells are left empty), or <see langword="null"/>; nested, repeated or binary columns must be named here.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The table, its columns in the file's order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a readable Parquet file, is too large for one table, or holds a column that cannot be read and is not skipped.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<CsvTable> ReadTableAsync(string path, IEnumerable<string>? skipColumns = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ParquetTableReader.ReadAsync(path, new HashSet<string>(skipColumns ?? [], StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>Summarizes a Parquet file without building a dataset; the label is optional.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The label, dropped, time, group and history columns.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file cannot be read, a named column does not exist, or a label or time cannot be read.</exception>
    public static async Task<DataInspection> InspectAsync(string path, CsvLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var table = await ReadTableAsync(path, options.Drop, cancellationToken).ConfigureAwait(false);
        return CsvDatasetLoader.Inspect(table, options, cancellationToken);
    }

    /// <summary>Reads a Parquet file into a dataset, inferring the features from the file's column types.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; <see cref="CsvLoadOptions.LabelColumn"/> is required.</param>
    /// <param name="extractor">An extractor fitted before (for example on the training file), or <see langword="null"/> to infer and fit one.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The dataset, the fitted extractor, the table and a summary.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The options name no label column.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file cannot be read, a named column does not exist, or a label or time cannot be read.</exception>
    public static async Task<CsvLoadResult> LoadAsync(
        string path, CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>>? extractor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LabelColumn is null)
        {
            throw new ArgumentException($"Loading a dataset needs {nameof(CsvLoadOptions.LabelColumn)}.", nameof(options));
        }

        var table = await ReadTableAsync(path, options.Drop, cancellationToken).ConfigureAwait(false);
        return CsvDatasetLoader.Load(table, options, extractor, cancellationToken);
    }

    /// <summary>Returns whether a path names a Parquet file by its extension (<c>.parquet</c> or <c>.pq</c>, any case).</summary>
    /// <param name="path">The path.</param>
    /// <returns><see langword="true"/> for a Parquet file name.</returns>
    public static bool IsParquetPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pq", StringComparison.OrdinalIgnoreCase);
    }
}
