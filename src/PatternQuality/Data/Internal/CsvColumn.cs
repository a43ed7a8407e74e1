using System.Globalization;

namespace PatternQuality.Data.Internal;

/// <summary>
/// One column of a <see cref="CsvTable"/>: numbers parsed straight from the reader's span into a float or double array
/// (NaN for an empty cell), or text with repeated values shared. A number column that meets text is marked
/// <see cref="Demoted"/> and refilled as text by a second pass over the file.
/// </summary>
internal abstract class CsvColumn
{
    // Text columns share repeated strings; past this many distinct values a column is treated as free text.
    private const int MaxInterned = 1 << 16;

    public abstract bool IsNumeric { get; }

    public bool Demoted { get; protected set; }

    public static CsvColumn Create(CsvStorage storage, bool numeric, int capacity) => !numeric || storage == CsvStorage.Text
        ? new TextColumn(capacity)
        : storage == CsvStorage.Double ? new DoubleColumn(capacity) : new FloatColumn(capacity);

    /// <summary>Whether a cell can live in a number column: empty, or a finite number (as <c>ValueParser.IsNumber</c>).</summary>
    public static bool IsNumberCell(ReadOnlySpan<char> cell, out double value)
    {
        value = double.NaN;
        return cell.IsWhiteSpace()
            || (NumberText.TryParse(cell, out value) && double.IsFinite(value));
    }

    public abstract void Add(ReadOnlySpan<char> cell);

    /// <summary>Gets a cell as text: the raw text, or for a number the shortest text that parses back to it ("" when empty).</summary>
    public abstract string GetText(int row);

    /// <summary>Gets a number cell (NaN when empty); only for numeric columns.</summary>
    public abstract double GetNumber(int row);

    /// <summary>Releases spare capacity, when it is worth a copy of the column (see <see cref="TrimExcess{T}"/>).</summary>
    public abstract void Trim();

    /// <summary>
    /// Wraps numbers that were not read from text (for example a Parquet column): NaN is an empty cell. A column holding
    /// an infinity is kept as text, as the CSV reader keeps a cell that is not a finite number.
    /// </summary>
    public static CsvColumn FromValues(float[] values)
    {
        if (!AllFinite(values))
        {
            return ToText(new FloatColumn(values), values.Length);
        }

        return new FloatColumn(values);
    }

    /// <inheritdoc cref="FromValues(float[])"/>
    public static CsvColumn FromValues(double[] values)
    {
        if (!AllFinite(values))
        {
            return ToText(new DoubleColumn(values), values.Length);
        }

        return new DoubleColumn(values);
    }

    /// <summary>Wraps text cells; <see langword="null"/> is an empty cell.</summary>
    public static CsvColumn FromValues(string?[] values)
    {
        var column = new TextColumn(values.Length);
        foreach (var v in values)
        {
            // Through the span overload: repeated values then share one string, as from a CSV file.
            column.Add(v.AsSpan());
        }

        return column;
    }

    /// <summary>
    /// Gives this column the storage a loader asks for: text where the text matters, float for a feature held as
    /// double (what the CSV reader would have kept). Returns the column itself when it already fits.
    /// </summary>
    public CsvColumn Conform(CsvStorage storage, int rows)
    {
        if (storage == CsvStorage.Text && IsNumeric)
        {
            return ToText(this, rows);
        }

        if (storage == CsvStorage.Float && this is DoubleColumn)
        {
            var values = new float[rows];
            for (var i = 0; i < rows; i++)
            {
                var v = (float)GetNumber(i);
                if (float.IsInfinity(v))
                {
                    // Beyond float's range: the CSV reader keeps such a column as text too.
                    return ToText(this, rows);
                }

                values[i] = v;
            }

            return new FloatColumn(values);
        }

        return this;
    }

    /// <summary>
    /// Shrinks an array to its used length only when more than an eighth is spare: the reader sizes columns from the
    /// file length, a few percent over, and copying every column to save that would double the peak memory for a moment
    /// (each copy of a million-row column is a new 4 MB array while the old one is still held).
    /// </summary>
    protected static void TrimExcess<T>(ref T[] values, int count)
    {
        if (values.Length - count > values.Length / 8)
        {
            Array.Resize(ref values, count);
        }
    }

    private static TextColumn ToText(CsvColumn column, int rows)
    {
        var text = new TextColumn(rows);
        for (var i = 0; i < rows; i++)
        {
            text.Add(column.GetText(i));
        }

        return text;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (float.IsInfinity(v))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (double.IsInfinity(v))
            {
                return false;
            }
        }

        return true;
    }

    internal sealed class FloatColumn(int capacity) : CsvColumn
    {
        private float[] _values = new float[Math.Max(16, capacity)];
        private int _count;

        public FloatColumn(float[] values)
            : this(0)
        {
            _values = values;
            _count = values.Length;
        }

        public override bool IsNumeric => true;

        public override void Add(ReadOnlySpan<char> cell)
        {
            // (float)value must stay finite: ValueParser.ParseNumber gives the double and the feature casts it, so a
            // value beyond float's range would become an infinity there; text keeps that behaviour exactly.
            var ok = IsNumberCell(cell, out var value) && (double.IsNaN(value) || float.IsFinite((float)value));
            Demoted |= !ok;
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count++] = ok ? (float)value : float.NaN;
        }

        public override string GetText(int row)
        {
            var v = _values[row];
            return float.IsNaN(v) ? string.Empty : v.ToString("R", CultureInfo.InvariantCulture);
        }

        public override double GetNumber(int row) => _values[row];

        public override void Trim() => TrimExcess(ref _values, _count);
    }

    internal sealed class DoubleColumn(int capacity) : CsvColumn
    {
        private double[] _values = new double[Math.Max(16, capacity)];
        private int _count;

        public DoubleColumn(double[] values)
            : this(0)
        {
            _values = values;
            _count = values.Length;
        }

        public override bool IsNumeric => true;

        public override void Add(ReadOnlySpan<char> cell)
        {
            var ok = IsNumberCell(cell, out var value);
            Demoted |= !ok;
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count++] = ok ? value : double.NaN;
        }

        public override string GetText(int row)
        {
            var v = _values[row];
            return double.IsNaN(v) ? string.Empty : v.ToString("R", CultureInfo.InvariantCulture);
        }

        public override double GetNumber(int row) => _values[row];

        public override void Trim() => TrimExcess(ref _values, _count);
    }

    internal sealed class TextColumn(int capacity) : CsvColumn
    {
        private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);
        private string[] _values = new string[Math.Max(16, capacity)];
        private int _count;

        public override bool IsNumeric => false;

        public override void Add(ReadOnlySpan<char> cell) => Add(Intern(cell));

        public void Add(string cell)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count++] = cell;
        }

        public override string GetText(int row) => _values[row];

        public override double GetNumber(int row) => throw new InvalidOperationException("A text column has no numbers.");

        public override void Trim() => TrimExcess(ref _values, _count);

        private string Intern(ReadOnlySpan<char> cell)
        {
            if (cell.IsEmpty)
            {
                return string.Empty;
            }

            var lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(cell, out var s))
            {
                return s;
            }

            s = new string(cell);
            if (_interned.Count < MaxInterned)
            {
                _interned.Add(s, s);
            }

            return s;
        }
    }
}
