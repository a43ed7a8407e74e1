using System.Buffers;

namespace PatternQuality.Data.Internal;

/// <summary>
/// Reads lines as spans through a pooled buffer, with a bound on line length, so one enormous line (or a file that is
/// not text) cannot make a single huge string. Invalid UTF-8 is an error naming the line.
/// </summary>
internal sealed class LineReader : IDisposable
{
    /// <summary>The longest line read (characters).</summary>
    public const int MaxLineChars = 1 << 26;

    private readonly TextReader _reader;
    private readonly CountingDecoderFallback _fallback;
    private readonly string _path;
    private char[] _buffer = ArrayPool<char>.Shared.Rent(1 << 16);
    private int _start;
    private int _length;
    private bool _eof;

    public LineReader(string path)
    {
        _path = path;
        _reader = DataFile.OpenText(path, out _fallback);
    }

    /// <summary>Gets the 1-based number of the last line read.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the next line (without its line break); valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var scanned = 0;
        while (true)
        {
            var rest = _buffer.AsSpan(_start + scanned, _length - _start - scanned);
            var nl = rest.IndexOfAny('\r', '\n');
            if (nl >= 0 && (rest[nl] == '\n' || nl + 1 < rest.Length || _eof))
            {
                var end = _start + scanned + nl;
                line = _buffer.AsSpan(_start, end - _start);
                var next = end + 1;
                if (_buffer[end] == '\r' && next < _length && _buffer[next] == '\n')
                {
                    next++;
                }

                _start = next;
                return Line(line, out line);
            }

            if (_eof)
            {
                if (_start >= _length)
                {
                    line = default;
                    return false;
                }

                line = _buffer.AsSpan(_start, _length - _start);
                _start = _length;
                return Line(line, out line);
            }

            scanned = Math.Max(0, _length - _start - 1);
            Fill();
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
    }

    private bool Line(ReadOnlySpan<char> text, out ReadOnlySpan<char> line)
    {
        LineNumber++;
        if (_fallback.Count > 0)
        {
            var at = text.IndexOf(CountingDecoderFallback.Replacement);
            if (at >= 0)
            {
                throw new DataFormatException(_path, LineNumber, null, DataFile.InvalidUtf8Message(at + 1));
            }
        }

        line = text;
        return true;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _length - _start);
            _length -= _start;
            _start = 0;
        }

        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineChars)
            {
                throw new DataFormatException(_path, LineNumber + 1, null, $"a line is longer than {MaxLineChars:N0} characters (is this a text file?).");
            }

            PooledChars.Grow(ref _buffer, _length);
        }

        var n = _reader.Read(_buffer, _length, _buffer.Length - _length);
        if (n == 0)
        {
            _eof = true;
            return;
        }

        _length += n;
    }
}
