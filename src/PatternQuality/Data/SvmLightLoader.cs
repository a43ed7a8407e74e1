using System.Globalization;

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
    /// <exception cref="DataFormatException">A line or the query file is malformed, or the query sizes do not add up to the row count.</exception>
    public static Dataset Load(string path, SvmLightLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SvmLightLoadOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SVMlight load options: " + string.Join(" ", errors), nameof(options));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        }

        var labels = new List<float>();
        var rows = new List<(int[] Index, float[] Value)>();
        var qids = new List<string?>();
        var maxIndex = 0;
        long lineNumber = 0;
        var indexes = new List<int>();
        var values = new List<float>();
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            if ((lineNumber & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var line = raw.AsSpan();
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

            indexes.Clear();
            values.Clear();
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

                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
                {
                    throw new DataFormatException(path, lineNumber, null, $"feature index '{name}' is not a whole number >= 1.");
                }

                if (!float.TryParse(token[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new DataFormatException(path, lineNumber, null, $"cannot read the value of feature {index} ('{token[(colon + 1)..]}').");
                }

                if (options.FeatureCount is { } fc && index > fc)
                {
                    throw new DataFormatException(path, lineNumber, null, $"feature index {index} is beyond the declared feature count {fc}.");
                }

                indexes.Add(index);
                values.Add(float.IsFinite(value) ? value : float.NaN);
                maxIndex = Math.Max(maxIndex, index);
            }

            rows.Add(([.. indexes], [.. values]));
            qids.Add(qid);
        }

        if (rows.Count == 0)
        {
            throw new DataFormatException(path, null, null, "the file is empty.");
        }

        var width = options.FeatureCount ?? Math.Max(1, maxIndex);
        var features = new float[(long)rows.Count * width];
        for (var r = 0; r < rows.Count; r++)
        {
            var (index, value) = rows[r];
            for (var k = 0; k < index.Length; k++)
            {
                features[((long)r * width) + index[k] - 1] = value[k];
            }
        }

        var definitions = new FeatureDefinition[width];
        for (var i = 0; i < width; i++)
        {
            definitions[i] = new FeatureDefinition("f" + (i + 1).ToString(CultureInfo.InvariantCulture), FeatureKind.Numeric);
        }

        int[]? boundaries = options.QueryFile is { } q
            ? ReadQueryFile(q, rows.Count, cancellationToken)
            : qids.TrueForAll(x => x is not null) ? BoundariesFromQids(qids) : null;
        return new Dataset(new FeatureSchema(definitions), features, [.. labels], queryBoundaries: boundaries);
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
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The query file '{path}' does not exist.", path);
        }

        var boundaries = new List<int> { 0 };
        long lineNumber = 0;
        long total = 0;
        foreach (var raw in File.ReadLines(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
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
