using PatternQuality.Data;

namespace PatternQuality.Features;

/// <summary>What <see cref="CsvDatasetLoader.Load(string, CsvLoadOptions, CancellationToken)"/> returns.</summary>
public sealed class CsvLoadResult
{
    internal CsvLoadResult(Dataset dataset, FeatureExtractor<IReadOnlyDictionary<string, string?>> extractor, IReadOnlyList<RowColumn> columns, CsvTable table, DataInspection inspection)
    {
        Dataset = dataset;
        Extractor = extractor;
        Columns = columns;
        Table = table;
        Inspection = inspection;
    }

    /// <summary>Gets the rows as feature vectors and labels, in file order.</summary>
    public Dataset Dataset { get; }

    /// <summary>Gets the fitted row extractor: it maps new rows (for example a test file or rows to score) exactly as the dataset was mapped.</summary>
    public FeatureExtractor<IReadOnlyDictionary<string, string?>> Extractor { get; }

    /// <summary>Gets the columns the features came from, with their inferred kinds.</summary>
    public IReadOnlyList<RowColumn> Columns { get; }

    /// <summary>Gets the raw rows, for writing them back with a score column.</summary>
    public CsvTable Table { get; }

    /// <summary>Gets the summary of the file.</summary>
    public DataInspection Inspection { get; }

    /// <summary>Gets the class names of a multiclass label (<see cref="CsvLoadOptions.Multiclass"/>), in class-index order, or <see langword="null"/> for 0/1 labels.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Gets the file the rows came from, so that another model's columns can map the same raw rows again.</summary>
    internal string? SourcePath { get; init; }

    /// <summary>Gets the options the file was read with.</summary>
    internal CsvLoadOptions? Options { get; init; }
}
