namespace PatternQuality.Data.Internal;

/// <summary>
/// The file line each data row starts on, for error messages, kept as one number while every row is one line (the
/// usual file): an array of a million line numbers is only made once a record spans lines or a blank line is skipped.
/// </summary>
internal sealed class RowLines
{
    private long _first;
    private int _count;
    private List<long>? _explicit;

    /// <summary>Gets the number of rows added.</summary>
    public int Count => _count;

    /// <summary>Gets the line of the first row (meaningful when <see cref="ToArray"/> gives <see langword="null"/>).</summary>
    public long First => _first;

    /// <summary>Adds the next row's line.</summary>
    public void Add(long line)
    {
        if (_explicit is null)
        {
            if (_count == 0)
            {
                _first = line;
                _count = 1;
                return;
            }

            if (line == _first + _count)
            {
                _count++;
                return;
            }

            _explicit = new List<long>(Math.Max(16, _count * 2));
            for (var i = 0; i < _count; i++)
            {
                _explicit.Add(_first + i);
            }
        }

        _explicit.Add(line);
        _count++;
    }

    /// <summary>Gets every row's line, or <see langword="null"/> when row <c>i</c> is on line <see cref="First"/> + <c>i</c>.</summary>
    public long[]? ToArray() => _explicit?.ToArray();
}
