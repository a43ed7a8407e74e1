using System.Text;

namespace PatternQuality.Data.Internal;

/// <summary>
/// A small RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks inside quotes, LF or CRLF.
/// Written here rather than taken from CsvHelper so the core package keeps no dependency beyond the
/// Microsoft.Extensions abstractions, and so every error can name the physical line. It scans the whole text as one
/// span (the loader keeps every row in memory anyway), which is several times faster than reading char by char.
/// </summary>
internal sealed class CsvReader(string text, char delimiter, string path)
{
    private readonly StringBuilder _field = new();
    private int _pos;
    private long _line = 1;

    /// <summary>Gets the 1-based line on which the last record read started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record; returns false at the end of the input. Blank lines are skipped.</summary>
    public bool ReadRecord(List<string> fields)
    {
        fields.Clear();
        var s = text.AsSpan();
        while (_pos < s.Length && s[_pos] is '\r' or '\n')
        {
            SkipLineBreak(s);
        }

        if (_pos >= s.Length)
        {
            return false;
        }

        RecordLine = _line;
        while (true)
        {
            if (_pos < s.Length && s[_pos] == '"')
            {
                fields.Add(ReadQuoted(s));
            }
            else
            {
                var rest = s[_pos..];
                var end = rest.IndexOfAny(delimiter, '\r', '\n');
                var raw = end < 0 ? rest : rest[..end];
                fields.Add(raw.Trim().ToString());
                _pos += raw.Length;
            }

            if (_pos >= s.Length)
            {
                return true;
            }

            var c = s[_pos];
            if (c == delimiter)
            {
                _pos++;
                continue;
            }

            if (c is '\r' or '\n')
            {
                SkipLineBreak(s);
                return true;
            }

            // Text after a closing quote, before the delimiter: keep it rather than fail (lenient like most readers).
            var tail = s[_pos..];
            var stop = tail.IndexOfAny(delimiter, '\r', '\n');
            var extra = stop < 0 ? tail : tail[..stop];
            fields[^1] += extra.ToString();
            _pos += extra.Length;
            if (_pos >= s.Length)
            {
                return true;
            }
        }
    }

    private string ReadQuoted(ReadOnlySpan<char> s)
    {
        _pos++; // opening quote
        _field.Clear();
        while (true)
        {
            var rest = s[_pos..];
            var q = rest.IndexOf('"');
            if (q < 0)
            {
                throw new DataFormatException(path, RecordLine, null, "a quoted field is never closed.");
            }

            var chunk = rest[..q];
            _line += chunk.Count('\n');
            _field.Append(chunk);
            _pos += q + 1;
            if (_pos < s.Length && s[_pos] == '"')
            {
                _field.Append('"');
                _pos++;
                continue;
            }

            return _field.ToString();
        }
    }

    private void SkipLineBreak(ReadOnlySpan<char> s)
    {
        if (s[_pos] == '\r' && _pos + 1 < s.Length && s[_pos + 1] == '\n')
        {
            _pos++;
        }

        _pos++;
        _line++;
    }
}
