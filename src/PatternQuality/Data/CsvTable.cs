using System.Collections;
using System.Diagnostics.CodeAnalysis;
using PatternQuality.Data.Internal;

namespace PatternQuality.Data;

/// <summary>
/// The raw text of a delimited file: its header and every row, as read. Used to infer a schema, to build a dataset,
/// and to write input rows back out with a score column.
/// </summary>
public sealed class CsvTable
{
    private readonly string[][] _rows;
    private readonly long[] _lines;
    private readonly Dictionary<string, int> _indexByName;

    private CsvTable(string path, char delimiter, string[] header, string[][] rows, long[] lines)
    {
        Path = path;
        Delimiter = delimiter;
        Header = header;
        _rows = rows;
        _lines = lines;
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
    public int RowCount => _rows.Length;

    /// <summary>Reads a delimited text file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="delimiter">The field delimiter, or <see langword="null"/> to detect it from the first line (comma, semicolon, tab or pipe).</param>
    /// <param name="hasHeader">Whether the first line names the columns.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is empty, names a column twice, or has a row whose field count differs from the header's.</exception>
    public static CsvTable Read(string path, char? delimiter = null, bool hasHeader = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        }

        var text = File.ReadAllText(path);
        var d = delimiter ?? DetectDelimiter(text);
        var reader = new CsvReader(text, d, path);
        var fields = new List<string>();
        if (!reader.ReadRecord(fields))
        {
            throw new DataFormatException(path, null, null, "the file is empty.");
        }

        string[] header;
        var rows = new List<string[]>();
        var lines = new List<long>();
        if (hasHeader)
        {
            header = [.. fields];
            CheckHeader(path, header);
        }
        else
        {
            header = new string[fields.Count];
            for (var i = 0; i < header.Length; i++)
            {
                header[i] = "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            rows.Add([.. fields]);
            lines.Add(reader.RecordLine);
        }

        while (reader.ReadRecord(fields))
        {
            if ((rows.Count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (fields.Count != header.Length)
            {
                throw new DataFormatException(path, reader.RecordLine, null,
                    $"the row has {fields.Count} fields but the header has {header.Length} (is the delimiter '{Describe(d)}' right?).");
            }

            rows.Add([.. fields]);
            lines.Add(reader.RecordLine);
        }

        if (hasHeader && rows.Count == 0)
        {
            throw new DataFormatException(path, null, null, "the file has a header but no data rows.");
        }

        return new CsvTable(path, d, header, [.. rows], [.. lines]);
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
    public IReadOnlyList<string> GetValues(int row) => _rows[CheckRow(row)];

    /// <summary>Gets one row as a dictionary from column name to value, for a row feature extractor.</summary>
    /// <param name="row">The 0-based data row.</param>
    /// <returns>A read-only view over the row (no copy).</returns>
    public IReadOnlyDictionary<string, string?> GetRow(int row) => new RowView(this, _rows[CheckRow(row)]);

    /// <summary>Gets the 1-based line of the file a data row starts on, for error messages.</summary>
    /// <param name="row">The 0-based data row.</param>
    /// <returns>The line number.</returns>
    public long GetLine(int row) => _lines[CheckRow(row)];

    internal string this[int row, int column] => _rows[row][column];

    internal static string Describe(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    private int CheckRow(int row) => (uint)row < (uint)_rows.Length
        ? row
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"The table has {_rows.Length} rows.");

    private static char DetectDelimiter(string text)
    {
        var span = text.AsSpan();
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

    private sealed class RowView(CsvTable table, string[] values) : IReadOnlyDictionary<string, string?>
    {
        public int Count => values.Length;

        public IEnumerable<string> Keys => table.Header;

        public IEnumerable<string?> Values => values;

        public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"The table has no column '{key}'.");

        public bool ContainsKey(string key) => table._indexByName.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
        {
            if (table._indexByName.TryGetValue(key, out var i))
            {
                value = values[i];
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
        {
            for (var i = 0; i < values.Length; i++)
            {
                yield return new KeyValuePair<string, string?>(table.Header[i], values[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
