using System.Globalization;
using PatternQuality.Data.Internal;

namespace PatternQuality.Data;

/// <summary>
/// Reads sparse SVMlight / LibSVM files (<c>label [qid:q] index:value ...</c>, 1-based indexes, <c>#</c> comments)
/// into a dense <see cref="Dataset"/> whose features are named <c>f1</c> ... <c>fN</c>. Absent entries are 0, as in
/// the format. A query file, or <c>qid:</c> tokens, give the ranking query boundaries.
/// </summary>
public static class SvmLightLoader
{
    /// <summary>Reads a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FileNotFoundException">The file or the query file does not exist.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="DataFormatException">A line or the query file is malformed, or the query sizes do not add up to the row count.</exception>
    public static Dataset Load(string path, SvmLightLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SvmLightLoadOptions();
        options.Validate();

        var maxWidth = options.FeatureCount ?? options.MaxFeatureCount;
        var labels = new List<float>();

        // Rows are kept sparse (CSR) while reading, so memory follows the file, not the largest index in it.
        var rowStarts = new List<int> { 0 };
        var indexes = new List<int>();
        var values = new List<float>();
        var qids = new List<string?>();
        var maxIndex = 0;
        using var reader = new LineReader(path);
        while (reader.TryReadLine(out var line))
        {
            var lineNumber = reader.LineNumber;
            if ((lineNumber & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            line = line.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            string? qid = null;
            var first = true;
            foreach (var range in line.SplitAny(' ', '\t'))
            {
                var token = line[range];
                if (token.IsEmpty)
                {
                    continue;
                }

                if (first)
                {
                    first = false;
                    if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var label) || !float.IsFinite(label))
                    {
                        throw new DataFormatException(path, lineNumber, null, $"cannot read the label '{token}' as a number.");
                    }

                    labels.Add(options.LabelThreshold is { } t ? (label >= t ? 1f : 0f) : label);
                    continue;
                }

                var colon = token.IndexOf(':');
                if (colon <= 0)
                {
                    throw new DataFormatException(path, lineNumber, null, $"expected index:value, found '{token}'.");
                }

                var name = token[..colon];
                if (name.SequenceEqual("qid"))
                {
                    qid = token[(colon + 1)..].ToString();
                    continue;
                }

                // Digits only; a long index (even 2^31 and beyond) is reported against the width limit, not overflowed.
                if (name.ContainsAnyExcept("0123456789") || name.TrimStart('0').IsEmpty)
                {
                    throw new DataFormatException(path, lineNumber, null, $"feature index '{name}' is not a whole number >= 1.");
                }

                if (name.TrimStart('0').Length > 9 || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > maxWidth)
                {
                    throw new DataFormatException(path, lineNumber, null, options.FeatureCount is { } fc
                        ? $"feature index {name} is beyond the declared feature count {fc}."
                        : $"feature index {name} is beyond the maximum width {maxWidth:N0} (set {nameof(SvmLightLoadOptions)}.{nameof(SvmLightLoadOptions.MaxFeatureCount)} to allow more).");
                }

                if (!float.TryParse(token[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new DataFormatException(path, lineNumber, null, $"cannot read the value of feature {index} ('{token[(colon + 1)..]}').");
                }

                indexes.Add(index);
                values.Add(float.IsFinite(value) ? value : float.NaN);
                maxIndex = Math.Max(maxIndex, index);
            }

            rowStarts.Add(indexes.Count);
            qids.Add(qid);
        }

        var rows = labels.Count;
        if (rows == 0)
        {
            throw new DataFormatException(path, null, null, "the file has no data rows (only blank or comment lines).");
        }

        var width = options.FeatureCount ?? Math.Max(1, maxIndex);
        if ((long)rows * width > Array.MaxLength)
        {
            throw new DataFormatException(path, null, null,
                $"{rows:N0} rows of {width:N0} features are more than one dense dataset holds ({Array.MaxLength:N0} values).");
        }

        var features = new float[(long)rows * width];
        for (var r = 0; r < rows; r++)
        {
            for (var k = rowStarts[r]; k < rowStarts[r + 1]; k++)
            {
                features[((long)r * width) + indexes[k] - 1] = values[k];
            }
        }

        var definitions = new FeatureDefinition[width];
        for (var i = 0; i < width; i++)
        {
            definitions[i] = new FeatureDefinition("f" + (i + 1).ToString(CultureInfo.InvariantCulture), FeatureKind.Numeric);
        }

        int[]? boundaries = options.QueryFile is { } q
            ? ReadQueryFile(q, rows, cancellationToken)
            : qids.TrueForAll(x => x is not null) ? BoundariesFromQids(qids) : null;
        return new Dataset(new FeatureSchema(definitions), features, [.. labels], queryBoundaries: boundaries);
    }

    /// <summary>
    /// Returns whether a file looks like SVMlight rather than delimited text: its first line that is neither blank nor
    /// a <c>#</c> comment is <c>label index:value ...</c> without commas. A file of only comments is SVMlight too (CSV
    /// has no comments), so it gets the SVMlight loader's "no data rows" error rather than a CSV one.
    /// </summary>
    /// <param name="path">The file; only its first 64 K characters are read.</param>
    /// <returns><see langword="true"/> for SVMlight.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is empty, not a regular file, or not valid UTF-8.</exception>
    public static bool LooksLikeSvmLight(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var buffer = new char[1 << 16];
        int read;
        using (var reader = DataFile.OpenText(path, out _))
        {
            read = reader.ReadBlock(buffer, 0, buffer.Length);
        }

        var text = buffer.AsSpan(0, read);
        var sawComment = false;
        foreach (var range in text.SplitAny('\r', '\n'))
        {
            var line = text[range].Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == '#')
            {
                sawComment = true;
                continue;
            }

            if (line.Contains(','))
            {
                return false;
            }

            var tokens = 0;
            foreach (var t in line.SplitAny(' ', '\t'))
            {
                if (line[t].IsEmpty)
                {
                    continue;
                }

                if (++tokens == 2)
                {
                    return line[t].Contains(':');
                }
            }

            return false;
        }

        return sawComment;
    }

    private static int[] BoundariesFromQids(List<string?> qids)
    {
        var b = new List<int> { 0 };
        for (var i = 1; i < qids.Count; i++)
        {
            if (qids[i] != qids[i - 1])
            {
                b.Add(i);
            }
        }

        b.Add(qids.Count);
        return [.. b];
    }

    private static int[] ReadQueryFile(string path, int rows, CancellationToken cancellationToken)
    {
        var boundaries = new List<int> { 0 };
        long total = 0;
        using var reader = new LineReader(path);
        while (reader.TryReadLine(out var raw))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lineNumber = reader.LineNumber;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
            {
                throw new DataFormatException(path, lineNumber, null, $"a query size must be a whole number >= 1, found '{line}'.");
            }

            total += size;
            if (total > rows)
            {
                throw new DataFormatException(path, lineNumber, null, $"the query sizes add up to more than the {rows} rows of the data file.");
            }

            boundaries.Add((int)total);
        }

        if (total != rows)
        {
            throw new DataFormatException(path, null, null, $"the query sizes add up to {total}, but the data file has {rows} rows.");
        }

        return [.. boundaries];
    }
}
