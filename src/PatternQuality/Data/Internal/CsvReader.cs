using System.Text;

namespace PatternQuality.Data.Internal;

/// <summary>
/// A small RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks inside quotes, LF or CRLF.
/// Written here rather than taken from CsvHelper so the core package keeps no dependency beyond the
/// Microsoft.Extensions abstractions, and so every error can name the physical line.
/// </summary>
internal sealed class CsvReader(TextReader reader, char delimiter, string path)
{
    private readonly StringBuilder _field = new();
    private long _line = 1;

    /// <summary>Gets the 1-based line on which the last record read started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record; returns false at the end of the input. Blank lines are skipped.</summary>
    public bool ReadRecord(List<string> fields)
    {
        fields.Clear();
        while (true)
        {
            var c = reader.Peek();
            if (c < 0)
            {
                return false;
            }

            if (c is '\r' or '\n')
            {
                ConsumeLineBreak();
                continue;
            }

            break;
        }

        RecordLine = _line;
        var quoted = false;
        var wasQuoted = false;
        _field.Clear();
        while (true)
        {
            var c = reader.Read();
            if (quoted)
            {
                if (c < 0)
                {
                    throw new DataFormatException(path, RecordLine, null, "a quoted field is never closed.");
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append((char)c);
                }

                continue;
            }

            if (c < 0 || c == '\r' || c == '\n')
            {
                fields.Add(wasQuoted ? _field.ToString() : _field.ToString().Trim());
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                if (c >= 0)
                {
                    _line++;
                }

                return true;
            }

            if (c == delimiter)
            {
                fields.Add(wasQuoted ? _field.ToString() : _field.ToString().Trim());
                _field.Clear();
                wasQuoted = false;
                continue;
            }

            if (c == '"' && _field.Length == 0 && !wasQuoted)
            {
                quoted = true;
                wasQuoted = true;
                continue;
            }

            _field.Append((char)c);
        }
    }

    private void ConsumeLineBreak()
    {
        var c = reader.Read();
        if (c == '\r' && reader.Peek() == '\n')
        {
            reader.Read();
        }

        _line++;
    }
}
