using System.Buffers;

namespace PatternQuality.Data.Internal;

/// <summary>
/// A streaming RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks inside quotes, LF or
/// CRLF. Written here rather than taken from CsvHelper so the core package keeps no dependency beyond the
/// Microsoft.Extensions abstractions, and so every error can name the physical line.
/// </summary>
/// <remarks>
/// The text is read through a pooled buffer that only ever holds the current record (it grows for a long record, up
/// to <see cref="MaxRecordChars"/>), so memory does not depend on the file's size. Fields are handed out as spans into
/// that buffer, valid until the next <see cref="ReadRecord"/>: a numeric cell is parsed without becoming a string.
/// Invalid UTF-8 is an error naming the line, not silently replaced text.
/// </remarks>
internal sealed class CsvReader : IDisposable
{
    /// <summary>The longest record read (characters): a quote that is never closed must not swallow the whole file.</summary>
    public const int MaxRecordChars = 1 << 26;

    private readonly TextReader _reader;
    private readonly CountingDecoderFallback? _fallback;
    private readonly char _delimiter;
    private readonly string _path;
    private char[] _buffer;
    private char[] _scratch;
    private int _scratchLength;
    private int _length;
    private int _pos;
    private bool _eof;
    private int _invalidSeen;
    private long _line = 1;
    private Field[] _fields = new Field[16];

    public CsvReader(TextReader reader, char delimiter, string path, CountingDecoderFallback? fallback = null, int bufferSize = 1 << 16)
    {
        _reader = reader;
        _delimiter = delimiter;
        _path = path;
        _fallback = fallback;
        _buffer = ArrayPool<char>.Shared.Rent(bufferSize);
        _scratch = ArrayPool<char>.Shared.Rent(256);
    }

    /// <summary>Gets the 1-based line on which the last record read started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Gets the number of fields of the last record read.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Gets a field of the last record read (valid until the next read).</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var f = _fields[index];
            return f.InScratch ? _scratch.AsSpan(f.Start, f.Length) : _buffer.AsSpan(f.Start, f.Length);
        }
    }

    /// <summary>Opens a data file for streaming (a regular file only; see <see cref="DataFile"/>).</summary>
    public static CsvReader Open(string path, char delimiter)
    {
        var reader = DataFile.OpenText(path, out var fallback);
        return new CsvReader(reader, delimiter, path, fallback);
    }

    /// <summary>Gets a field as a new string.</summary>
    public string GetString(int index) => new(this[index]);

    /// <summary>Reads the next record; returns false at the end of the input. Blank lines are skipped.</summary>
    public bool ReadRecord()
    {
        while (true)
        {
            if (_pos >= _length)
            {
                if (_eof)
                {
                    return false;
                }

                Fill();
                continue;
            }

            var c = _buffer[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                continue;
            }

            if (c == '\r')
            {
                if (_pos + 1 >= _length && !_eof)
                {
                    Fill();
                    continue;
                }

                _pos++;
                if (_pos < _length && _buffer[_pos] == '\n')
                {
                    _pos++;
                }

                _line++;
                continue;
            }

            if (TryParseRecord())
            {
                return true;
            }

            // The record runs past the buffered text: read more and parse it again from its start.
            Fill();
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        ArrayPool<char>.Shared.Return(_buffer);
        ArrayPool<char>.Shared.Return(_scratch);
        _buffer = [];
        _scratch = [];
    }

    private bool TryParseRecord()
    {
        FieldCount = 0;
        _scratchLength = 0;
        var p = _pos;
        var lines = 0;
        var buffer = _buffer;
        while (true)
        {
            int start;
            int length;
            var inScratch = false;
            if (p < _length && buffer[p] == '"')
            {
                var q = p + 1;
                var segment = q;
                var escaped = false;
                var scratchStart = _scratchLength;
                while (true)
                {
                    var rel = buffer.AsSpan(q, _length - q).IndexOf('"');
                    if (rel < 0)
                    {
                        return _eof ? throw new DataFormatException(_path, _line, null, "a quoted field is never closed.") : false;
                    }

                    q += rel;
                    if (q + 1 >= _length && !_eof)
                    {
                        return false; // cannot tell a closing quote from a doubled one yet
                    }

                    if (q + 1 < _length && buffer[q + 1] == '"')
                    {
                        AppendScratch(buffer.AsSpan(segment, q + 1 - segment));
                        q += 2;
                        segment = q;
                        escaped = true;
                        continue;
                    }

                    break;
                }

                lines += buffer.AsSpan(p, q - p).Count('\n');
                if (escaped)
                {
                    AppendScratch(buffer.AsSpan(segment, q - segment));
                    start = scratchStart;
                    length = _scratchLength - scratchStart;
                    inScratch = true;
                }
                else
                {
                    start = p + 1;
                    length = q - p - 1;
                }

                p = q + 1;

                // Text after a closing quote, before the delimiter: keep it rather than fail (lenient like most readers).
                var rest = buffer.AsSpan(p, _length - p);
                var stop = rest.IndexOfAny(_delimiter, '\r', '\n');
                if (stop < 0 && !_eof)
                {
                    return false;
                }

                var tail = stop < 0 ? rest.Length : stop;
                if (tail > 0)
                {
                    if (!inScratch)
                    {
                        var s = _scratchLength;
                        AppendScratch(buffer.AsSpan(start, length));
                        start = s;
                        inScratch = true;
                    }

                    AppendScratch(rest[..tail]);
                    length += tail;
                    p += tail;
                }
            }
            else
            {
                var rest = buffer.AsSpan(p, _length - p);
                var end = rest.IndexOfAny(_delimiter, '\r', '\n');
                if (end < 0 && !_eof)
                {
                    return false;
                }

                var raw = end < 0 ? rest : rest[..end];
                var s = 0;
                while (s < raw.Length && char.IsWhiteSpace(raw[s]))
                {
                    s++;
                }

                var e = raw.Length;
                while (e > s && char.IsWhiteSpace(raw[e - 1]))
                {
                    e--;
                }

                start = p + s;
                length = e - s;
                p += raw.Length;
            }

            AddField(start, length, inScratch);
            if (p >= _length)
            {
                if (!_eof)
                {
                    return false;
                }

                Commit(p, lines);
                return true;
            }

            var c = buffer[p];
            if (c == _delimiter)
            {
                p++;
                continue;
            }

            if (c == '\r')
            {
                if (p + 1 >= _length && !_eof)
                {
                    return false;
                }

                p++;
                if (p < _length && buffer[p] == '\n')
                {
                    p++;
                }
            }
            else
            {
                p++;
            }

            Commit(p, lines + 1);
            return true;
        }
    }

    private void Commit(int end, int lines)
    {
        RecordLine = _line;
        _line += lines;
        _pos = end;
    }

    private void AddField(int start, int length, bool inScratch)
    {
        if (FieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[FieldCount++] = new Field(start, length, inScratch);
    }

    private void AppendScratch(ReadOnlySpan<char> text)
    {
        if (_scratchLength + text.Length > _scratch.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_scratch.Length * 2, _scratchLength + text.Length));
            _scratch.AsSpan(0, _scratchLength).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_scratch);
            _scratch = bigger;
        }

        text.CopyTo(_scratch.AsSpan(_scratchLength));
        _scratchLength += text.Length;
    }

    private void Fill()
    {
        if (_eof)
        {
            return;
        }

        if (_pos > 0)
        {
            Array.Copy(_buffer, _pos, _buffer, 0, _length - _pos);
            _length -= _pos;
            _pos = 0;
        }

        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordChars)
            {
                throw new DataFormatException(_path, _line, null,
                    $"a record is longer than {MaxRecordChars:N0} characters (is a quote never closed, or is this not a text file?).");
            }

            PooledChars.Grow(ref _buffer, _length);
        }

        var n = _reader.Read(_buffer, _length, _buffer.Length - _length);
        if (n == 0)
        {
            _eof = true;
            return;
        }

        CheckDecoding(_length, n);
        _length += n;
    }

    private void CheckDecoding(int start, int count)
    {
        if (_fallback is null || _fallback.Count == _invalidSeen)
        {
            return;
        }

        _invalidSeen = _fallback.Count;
        var at = _buffer.AsSpan(start, count).IndexOf(CountingDecoderFallback.Replacement);
        if (at < 0)
        {
            return;
        }

        at += start;
        var before = _buffer.AsSpan(_pos, at - _pos);
        var line = _line + before.Count('\n');
        var lineStart = before.LastIndexOf('\n');
        var column = lineStart < 0 ? at - _pos + 1 : before.Length - lineStart;
        throw new DataFormatException(_path, line, null, DataFile.InvalidUtf8Message(column));
    }

    private readonly record struct Field(int Start, int Length, bool InScratch);
}
