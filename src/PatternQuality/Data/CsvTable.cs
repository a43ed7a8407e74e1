using System.Collections;
using System.Diagnostics.CodeAnalysis;
using PatternQuality.Data.Internal;
using PatternQuality.Internal;

namespace PatternQuality.Data;

/// <summary>
/// The cells of a delimited file: its header and every row. Used to infer a schema, to build a dataset, and to write
/// input rows back out with a score column.
/// </summary>
/// <remarks>
/// A table can also hold typed columns that were never text, built by <see cref="CsvTableBuilder"/> (the Parquet
/// reader of <c>PatternQuality.Data.Parquet</c> does); <c>CsvDatasetLoader</c> loads
/// either kind alike.
/// </remarks>
/// <remarks>
/// The file is streamed, never held whole. <see cref="Read(string, char?, bool, CancellationToken)"/> keeps every cell's text as read; the dataset loader
/// keeps number columns as numbers parsed straight from the file (no string per cell), and gives their cells back as
/// the shortest text that parses to the same value.
/// </remarks>
public sealed class CsvTable
{
    // Rows read as text before the column types are chosen; a column that turns out otherwise gets a second pass.
    private const int SampleRows = 1000;

    private readonly CsvColumn[] _columns;
    private readonly long[]? _lines;
    private readonly long _firstLine;
    private readonly int _rowCount;
    private readonly Dictionary<string, int> _indexByName;

    private CsvTable(string path, char delimiter, string[] header, CsvColumn[] columns, long[]? lines, long firstLine, int rowCount)
    {
        Path = path;
        Delimiter = delimiter;
        Header = header;
        _columns = columns;
        _lines = lines;
        _firstLine = firstLine;
        _rowCount = rowCount;
        _indexByName = new Dictionary<string, int>(header.Length, StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            _indexByName[header[i]] = i;
        }
    }

    /// <summary>Gets the file the table was read from.</summary>
    public string Path { get; }

    /// <summary>Gets the delimiter that was used.</summary>
    public char Delimiter { get; }

    /// <summary>Gets the column names (<c>c0</c>, <c>c1</c>, ... when the file has no header).</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Gets the number of data rows.</summary>
    public int RowCount => _rowCount;

    /// <summary>Reads a delimited text file, keeping every cell's text as read.</summary>
    /// <param name="path">The file (UTF-8, or UTF-16 with a byte order mark).</param>
    /// <param name="delimiter">The field delimiter, or <see langword="null"/> to detect it from the first line (comma, semicolon, tab or pipe).</param>
    /// <param name="hasHeader">Whether the first line names the columns.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is empty or not a regular file, is not valid UTF-8, names a column twice, or has a row whose field count differs from the header's.</exception>
    public static CsvTable Read(string path, char? delimiter = null, bool hasHeader = true, CancellationToken cancellationToken = default)
        => Read(path, delimiter, hasHeader, _ => CsvStorage.Text, cancellationToken);

    /// <summary>Reads a file, keeping each column as <paramref name="storage"/> says (by column name).</summary>
    internal static CsvTable Read(string path, char? delimiter, bool hasHeader, Func<string, CsvStorage> storage, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var d = delimiter ?? DetectDelimiter(path);
        using var reader = CsvReader.Open(path, d);
        if (!reader.ReadRecord())
        {
            throw new DataFormatException(path, null, null, "the file is empty.");
        }

        string[] header;
        var sample = new List<string[]>();
        var sampleLines = new List<long>();
        long sampleChars = 0;
        if (hasHeader)
        {
            header = ToStrings(reader);
            CheckHeader(path, header);
        }
        else
        {
            header = new string[reader.FieldCount];
            for (var i = 0; i < header.Length; i++)
            {
                header[i] = "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            sample.Add(ToStrings(reader));
            sampleLines.Add(reader.RecordLine);
        }

        while (sample.Count < SampleRows && reader.ReadRecord())
        {
            CheckFieldCount(reader, header.Length, path, d);
            sample.Add(ToStrings(reader));
            sampleLines.Add(reader.RecordLine);
            foreach (var f in sample[^1])
            {
                sampleChars += f.Length + 1;
            }
        }

        // Choose each column's storage from the sample, then stream the rest straight into the columns.
        var capacity = EstimateRows(path, sample.Count, sampleChars, header.Length);
        var columns = new CsvColumn[header.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var numeric = true;
            foreach (var row in sample)
            {
                if (!CsvColumn.IsNumberCell(row[c], out _))
                {
                    numeric = false;
                    break;
                }
            }

            columns[c] = CsvColumn.Create(storage(header[c]), numeric, capacity);
            foreach (var row in sample)
            {
                columns[c].Add(row[c]);
            }
        }

        var lines = new RowLines();
        foreach (var line in sampleLines)
        {
            lines.Add(line);
        }

        sample.Clear();
        while (reader.ReadRecord())
        {
            if ((lines.Count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            CheckFieldCount(reader, header.Length, path, d);
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c].Add(reader[c]);
            }

            lines.Add(reader.RecordLine);
        }

        if (hasHeader && lines.Count == 0)
        {
            throw new DataFormatException(path, null, null, "the file has a header but no data rows.");
        }

        if (Array.Exists(columns, c => c.Demoted))
        {
            RereadAsText(path, d, hasHeader, columns, lines.Count, cancellationToken);
        }

        foreach (var c in columns)
        {
            c.Trim();
        }

        return new CsvTable(path, d, header, columns, lines.ToArray(), lines.First, lines.Count);
    }

    /// <summary>A table of columns that were not read from text (see <see cref="CsvTableBuilder"/>); row <c>i</c> is line <c>i + 1</c>.</summary>
    internal static CsvTable FromColumns(string source, string[] header, CsvColumn[] columns, int rowCount)
        => new(source, ',', header, columns, null, 1, rowCount);

    /// <summary>
    /// Returns this table with each column kept as <paramref name="storage"/> says, as <see cref="Read(string, char?, bool, Func{string, CsvStorage}, CancellationToken)"/>
    /// would have kept it: numbers become text where the text matters, double features become float. Shares the
    /// columns that already fit.
    /// </summary>
    internal CsvTable Conform(Func<string, CsvStorage> storage)
    {
        CsvColumn[]? changed = null;
        for (var c = 0; c < _columns.Length; c++)
        {
            var conformed = _columns[c].Conform(storage(Header[c]), _rowCount);
            if (!ReferenceEquals(conformed, _columns[c]))
            {
                changed ??= (CsvColumn[])_columns.Clone();
                changed[c] = conformed;
            }
        }

        return changed is null ? this : new CsvTable(Path, Delimiter, (string[])Header, changed, _lines, _firstLine, _rowCount);
    }
    /// <summary>Finds a column by name.</summary>
    /// <param name="name">The column name.</param>
    /// <returns>Its position, or -1.</returns>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _indexByName.TryGetValue(name, out var i) ? i : -1;
    }

    /// <summary>Gets one row's raw values, in header order.</summary>
    /// <param name="row">The 0-based data row.</param>
    /// <returns>The values.</returns>
    public IReadOnlyList<string> GetValues(int row)
    {
        CheckRow(row);
        var values = new string[_columns.Length];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = _columns[c].GetText(row);
        }

        return values;
    }

    /// <summary>Gets one row as a dictionary from column name to value, for a row feature extractor.</summary>
    /// <param name="row">The 0-based data row.</param>
    /// <returns>A read-only view over the row (no copy).</returns>
    public IReadOnlyDictionary<string, string?> GetRow(int row) => new RowView(this, CheckRow(row));

    /// <summary>Gets the 1-based line of the file a data row starts on, for error messages.</summary>
    /// <param name="row">The 0-based data row.</param>
    /// <returns>The line number.</returns>
    /// <remarks>For a table built from columns (for example a Parquet file) this is the 1-based row.</remarks>
    public long GetLine(int row) => _lines is null ? _firstLine + CheckRow(row) : _lines[CheckRow(row)];

    internal string this[int row, int column] => _columns[column].GetText(row);

    /// <summary>Returns whether a column is kept as numbers (then <see cref="GetNumber"/> reads it without text).</summary>
    internal bool IsNumeric(int column) => _columns[column].IsNumeric;

    /// <summary>Gets a cell of a numeric column: NaN when empty.</summary>
    internal double GetNumber(int row, int column) => _columns[column].GetNumber(row);

    /// <summary>A row view that can be moved from row to row, for passes over every row without an object per row.</summary>
    internal RowView CreateCursor() => new(this, 0);

    internal static string Describe(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    private int CheckRow(int row) => (uint)row < (uint)_rowCount
        ? row
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"The table has {_rowCount} rows.");

    private static string[] ToStrings(CsvReader reader)
    {
        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = reader.GetString(i);
        }

        return fields;
    }

    private static void CheckFieldCount(CsvReader reader, int expected, string path, char d)
    {
        if (reader.FieldCount != expected)
        {
            throw new DataFormatException(path, reader.RecordLine, null,
                $"the row has {reader.FieldCount} fields but the header has {expected} (is the delimiter '{Describe(d)}' right?).");
        }
    }

    // Sizes the column arrays from the file length and the sampled rows' share of it, so they rarely grow.
    // The estimate is capped at 64 M cells in all, so an unrepresentative sample cannot reserve much more than the data.
    private static int EstimateRows(string path, int sampleRows, long sampleChars, int columns)
    {
        if (sampleRows < SampleRows || sampleChars <= 0)
        {
            return sampleRows;
        }

        var estimate = (double)new FileInfo(path).Length / sampleChars * sampleRows * 1.05;
        var cap = Math.Max(sampleRows, (1L << 26) / Math.Max(1, columns));
        return (int)Math.Clamp(estimate, sampleRows, cap);
    }

    /// <summary>Reads the file again and keeps the demoted columns' text: they looked numeric in the sample only.</summary>
    private static void RereadAsText(string path, char d, bool hasHeader, CsvColumn[] columns, int rows, CancellationToken cancellationToken)
    {
        var text = new CsvColumn.TextColumn?[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c].Demoted)
            {
                text[c] = new CsvColumn.TextColumn(rows);
            }
        }

        using var reader = CsvReader.Open(path, d);
        if (hasHeader)
        {
            reader.ReadRecord();
        }

        var n = 0;
        while (n < rows && reader.ReadRecord())
        {
            if ((n++ & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (var c = 0; c < columns.Length; c++)
            {
                text[c]?.Add(reader[c]);
            }
        }

        if (n != rows)
        {
            throw new DataFormatException(path, null, null, "the file changed while it was read.");
        }

        for (var c = 0; c < columns.Length; c++)
        {
            if (text[c] is { } t)
            {
                columns[c] = t;
            }
        }
    }

    private static char DetectDelimiter(string path)
    {
        // The first line decides; only its first 64 K characters are read.
        var buffer = new char[1 << 16];
        int read;
        using (var reader = DataFile.OpenText(path, out _))
        {
            read = reader.ReadBlock(buffer, 0, buffer.Length);
        }

        var span = buffer.AsSpan(0, read);
        var end = span.IndexOfAny('\r', '\n');
        var first = end < 0 ? span : span[..end];
        if (first.IsEmpty)
        {
            return ',';
        }

        var best = ',';
        var bestCount = 0;
        foreach (var c in (ReadOnlySpan<char>)[',', ';', '\t', '|'])
        {
            var n = first.Count(c);
            if (n > bestCount)
            {
                best = c;
                bestCount = n;
            }
        }

        return best;
    }

    private static void CheckHeader(string path, string[] header)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
            {
                throw new DataFormatException(path, 1, null, $"column {i + 1} of the header has no name.");
            }

            if (!seen.TryAdd(header[i], i))
            {
                throw new DataFormatException(path, 1, header[i], $"the header names this column twice (columns {seen[header[i]] + 1} and {i + 1}).");
            }
        }
    }

    /// <summary>A read-only dictionary view over one row; numeric cells are read as numbers by the row extractor.</summary>
    internal sealed class RowView(CsvTable table, int row) : IReadOnlyDictionary<string, string?>, INumericRow
    {
        /// <summary>Gets or sets the row this view shows.</summary>
        public int Row { get; set; } = row;

        public int Count => table._columns.Length;

        public IEnumerable<string> Keys => table.Header;

        public IEnumerable<string?> Values => table.GetValues(Row);

        public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"The table has no column '{key}'.");

        public bool ContainsKey(string key) => table._indexByName.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
        {
            if (table._indexByName.TryGetValue(key, out var i))
            {
                value = table._columns[i].GetText(Row);
                return true;
            }

            value = null;
            return false;
        }

        public bool TryGetNumber(string key, out double? value)
        {
            if (table._indexByName.TryGetValue(key, out var i) && table._columns[i].IsNumeric)
            {
                var v = table._columns[i].GetNumber(Row);
                value = double.IsNaN(v) ? null : v;
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
        {
            for (var i = 0; i < table._columns.Length; i++)
            {
                yield return new KeyValuePair<string, string?>(table.Header[i], table._columns[i].GetText(Row));
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
