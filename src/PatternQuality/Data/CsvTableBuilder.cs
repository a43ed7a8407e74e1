using PatternQuality.Data.Internal;

namespace PatternQuality.Data;

/// <summary>
/// Builds a <see cref="CsvTable"/> from typed columns that were not read from delimited text, for example the columns
/// of a Parquet file, so that <c>CsvDatasetLoader</c> infers, loads and inspects them
/// exactly as it does a CSV file.
/// </summary>
/// <remarks>
/// The arrays are kept, not copied: do not change them after <see cref="Build"/>. Number columns hold NaN for an
/// empty cell; a number column holding an infinity is kept as text (<c>"∞"</c>), as the CSV reader keeps a cell that
/// is not a finite number. Text columns hold <see langword="null"/> or <c>""</c> for an empty cell. Row <c>i</c> of
/// the table is "line" <c>i + 1</c> in error messages.
/// </remarks>
public sealed class CsvTableBuilder
{
    private readonly string _source;
    private readonly List<string> _names = [];
    private readonly List<CsvColumn> _columns = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _rowCount = -1;

    /// <summary>Initializes a new instance of the <see cref="CsvTableBuilder"/> class.</summary>
    /// <param name="source">Where the columns came from (a file path), named by error messages.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty.</exception>
    public CsvTableBuilder(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        _source = source;
    }

    /// <summary>Adds a column of single-precision numbers (NaN for an empty cell).</summary>
    /// <param name="name">The column name, unique in the table.</param>
    /// <param name="values">One value per row.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken, or the column's length differs from the columns added before.</exception>
    public CsvTableBuilder AddColumn(string name, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, values.Length, () => CsvColumn.FromValues(values));
    }

    /// <summary>Adds a column of double-precision numbers (NaN for an empty cell).</summary>
    /// <param name="name">The column name, unique in the table.</param>
    /// <param name="values">One value per row.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken, or the column's length differs from the columns added before.</exception>
    public CsvTableBuilder AddColumn(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, values.Length, () => CsvColumn.FromValues(values));
    }

    /// <summary>Adds a column of text (<see langword="null"/> or <c>""</c> for an empty cell); its kind is inferred from the values as for a CSV column.</summary>
    /// <param name="name">The column name, unique in the table.</param>
    /// <param name="values">One value per row.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken, or the column's length differs from the columns added before.</exception>
    public CsvTableBuilder AddColumn(string name, string?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, values.Length, () => CsvColumn.FromValues(values));
    }

    /// <summary>Builds the table.</summary>
    /// <returns>The table, its columns in the order they were added.</returns>
    /// <exception cref="DataFormatException">No column was added.</exception>
    public CsvTable Build()
    {
        if (_columns.Count == 0)
        {
            throw new DataFormatException(_source, null, null, "the file has no columns.");
        }

        return CsvTable.FromColumns(_source, [.. _names], [.. _columns], _rowCount);
    }

    private CsvTableBuilder Add(string name, int length, Func<CsvColumn> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_seen.Add(name))
        {
            throw new ArgumentException($"The table already has a column named '{name}'.", nameof(name));
        }

        if (_rowCount >= 0 && length != _rowCount)
        {
            _seen.Remove(name);
            throw new ArgumentException($"Column '{name}' has {length} values but the columns before it have {_rowCount}.", nameof(name));
        }

        _rowCount = length;
        _names.Add(name);
        _columns.Add(create());
        return this;
    }
}
