using PatternQuality.Data;
using PatternQuality.Features.Internal;
using PatternQuality.Internal;

namespace PatternQuality.Features;

/// <summary>
/// Builds feature extractors for rows held as string dictionaries (CSV rows, form posts, key-value logs), from declared
/// columns. The CSV loader uses it with inferred columns.
/// </summary>
public static class RowFeatureExtractor
{
    /// <summary>Builds an extractor for dictionary rows.</summary>
    /// <param name="columns">The columns, in feature order.</param>
    /// <param name="sample">Rows to learn undeclared categories from, or <see langword="null"/> when every categorical column declares them.</param>
    /// <param name="minCategoryCount">Values seen fewer times in <paramref name="sample"/> fold into <see cref="FeatureDefinition.OtherCategory"/>.</param>
    /// <param name="maxCategories">At most this many categories per column are kept (the most frequent); the rest fold into <see cref="FeatureDefinition.OtherCategory"/>.</param>
    /// <returns>The extractor. A column absent from a row, or empty, is a missing value.</returns>
    /// <exception cref="ArgumentException">There are no columns, a column is null, or two give the same feature name.</exception>
    /// <exception cref="InvalidOperationException">A categorical column declares no categories and there is no sample.</exception>
    public static FeatureExtractor<IReadOnlyDictionary<string, string?>> Create(
        IEnumerable<RowColumn> columns,
        IEnumerable<IReadOnlyDictionary<string, string?>>? sample = null,
        int minCategoryCount = 1,
        int maxCategories = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var builder = new FeatureExtractorBuilder<IReadOnlyDictionary<string, string?>>();
        var declared = new List<RowColumn>();
        foreach (var column in columns)
        {
            if (column is null)
            {
                throw new ArgumentException("A row column is null.", nameof(columns));
            }

            ArgumentException.ThrowIfNullOrWhiteSpace(column.Name, nameof(columns));
            declared.Add(column);
            var name = column.Name;
            switch (column.Kind)
            {
                case RowColumnKind.Numeric:
                    builder.Numeric(column.FeatureName, row => GetNumber(row, name));
                    break;
                case RowColumnKind.Boolean:
                    builder.Boolean(column.FeatureName, row => ValueParser.ParseBoolean(Get(row, name)));
                    break;
                case RowColumnKind.Categorical:
                    builder.Categorical(column.FeatureName, row => Get(row, name), column.Categories);
                    break;
                case RowColumnKind.Timestamp:
                    builder.Timestamp(column.FeatureName, row => GetTime(row, name));
                    break;
                case RowColumnKind.History:
                    builder.History(column.FeatureName, row => Get(row, name), column.Smoothing);
                    break;
                default:
                    throw new ArgumentException($"Column '{name}': kind {(int)column.Kind} is not a defined RowColumnKind.", nameof(columns));
            }
        }

        if (declared.Count == 0)
        {
            throw new ArgumentException("At least one column is needed.", nameof(columns));
        }

        // The columns travel with the extractor, so a model trained from feedback with it can score raw rows after a restart.
        return (sample is null ? builder.Build() : builder.Fit(sample, minCategoryCount, maxCategories)).WithRowColumns(declared);
    }

    /// <summary>
    /// Rebuilds the extractor a model was trained with from its columns and its schema (for example after loading a
    /// stored model), taking each categorical column's categories from the schema so the hashes match.
    /// </summary>
    /// <param name="columns">The columns the extractor was created from (see <see cref="CsvLoadResult.Columns"/>).</param>
    /// <param name="schema">The schema the model was trained on.</param>
    /// <returns>An extractor whose <see cref="FeatureExtractor{TPattern}.Schema"/> equals <paramref name="schema"/>, with an empty history state.</returns>
    /// <remarks>
    /// Values that were folded into <see cref="FeatureDefinition.OtherCategory"/> as rare are not part of the schema, so
    /// the rebuilt extractor maps them to <see cref="FeatureDefinition.UnknownCategory"/>. Load the model's
    /// <see cref="HistoryState"/> with <see cref="FeatureExtractor{TPattern}.WithHistory"/>.
    /// </remarks>
    /// <exception cref="SchemaMismatchException">The columns do not produce the schema; the message names the differences.</exception>
    public static FeatureExtractor<IReadOnlyDictionary<string, string?>> Restore(IEnumerable<RowColumn> columns, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(schema);
        var withCategories = columns.Select(c =>
        {
            if (c is null || c.Kind != RowColumnKind.Categorical || c.Categories is not null)
            {
                return c!;
            }

            var i = schema.IndexOf(c.FeatureName);
            return i >= 0 && schema[i].Kind == FeatureKind.Categorical
                ? c with { Categories = schema[i].Categories }
                : c with { Categories = [] };
        }).ToArray();
        var extractor = Create(withCategories);
        schema.EnsureCompatible(extractor.Schema);
        return extractor;
    }

    // Typed CSV rows hand over parsed numbers; the value is the one ValueParser would give for the cell's text.
    private static double? GetNumber(IReadOnlyDictionary<string, string?> row, string column)
        => row is INumericRow typed && typed.TryGetNumber(column, out var v) ? v : ValueParser.ParseNumber(Get(row, column));

    private static DateTimeOffset? GetTime(IReadOnlyDictionary<string, string?> row, string column)
        => row is INumericRow typed && typed.TryGetNumber(column, out var v)
            ? (v is { } seconds ? ValueParser.TimeFromSeconds(seconds) : null)
            : ValueParser.ParseTime(Get(row, column));

    private static string? Get(IReadOnlyDictionary<string, string?> row, string column)
        => row.TryGetValue(column, out var v) && !ValueParser.IsMissing(v) ? v : null;
}
