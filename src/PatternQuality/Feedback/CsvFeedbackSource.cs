using System.Globalization;
using System.Runtime.CompilerServices;
using PatternQuality.Data;
using PatternQuality.Internal;

namespace PatternQuality.Feedback;

/// <summary>
/// An <see cref="IFeedbackSource{TPattern}"/> over a delimited file: each data row is a pattern (the row as a
/// dictionary) with its label. The sequence of a record is its 1-based data row number, so the file may grow and a
/// reader resumes after the last row it consumed.
/// </summary>
/// <remarks>
/// The label, time and user come from <see cref="CsvLoadOptions.LabelColumn"/>, <see cref="CsvLoadOptions.TimeColumn"/>
/// and <see cref="CsvLoadOptions.GroupColumn"/>. Without a time column, the row number stands in for time: row n is
/// stamped n milliseconds after the unix epoch, which keeps file order for causal history features. The file is read
/// whole on each <see cref="ReadAsync"/>, and every label and time is checked before the first record is yielded.
/// </remarks>
public sealed class CsvFeedbackSource : IFeedbackSource<IReadOnlyDictionary<string, string?>>
{
    private readonly string _path;
    private readonly CsvLoadOptions _options;

    /// <summary>Initializes a new source.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; <see cref="CsvLoadOptions.LabelColumn"/> is required.</param>
    /// <exception cref="ArgumentException">The path is empty, or the options name no label column.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public CsvFeedbackSource(string path, CsvLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LabelColumn is null)
        {
            throw new ArgumentException($"A CSV feedback source needs {nameof(CsvLoadOptions.LabelColumn)}.", nameof(options));
        }

        _path = path;
        _options = options;
    }

    /// <inheritdoc />
    /// <exception cref="DataFormatException">The file is malformed, or a label or time cannot be read.</exception>
    public async IAsyncEnumerable<FeedbackRecord<IReadOnlyDictionary<string, string?>>> ReadAsync(
        FeedbackWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var records = await Task.Run(() => ReadAll(after, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
    }

    private List<FeedbackRecord<IReadOnlyDictionary<string, string?>>> ReadAll(FeedbackWatermark after, CancellationToken cancellationToken)
    {
        var table = CsvTable.Read(_path, _options.Delimiter, _options.HasHeader, cancellationToken);
        var label = Require(table, _options.LabelColumn!, "label");
        var time = _options.TimeColumn is { } tc ? Require(table, tc, "time") : -1;
        var user = _options.GroupColumn is { } gc ? Require(table, gc, "user") : -1;
        var parser = new LabelParser(_options.PositiveValue, _options.Threshold);
        var records = new List<FeedbackRecord<IReadOnlyDictionary<string, string?>>>();
        for (var i = 0; i < table.RowCount; i++)
        {
            long sequence = i + 1;
            if (!after.IsBefore(sequence))
            {
                continue;
            }

            if ((i & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!parser.TryParse(table[i, label], out var y))
            {
                throw new DataFormatException(_path, table.GetLine(i), _options.LabelColumn,
                    $"cannot read the label '{table[i, label]}'; expected {parser.Expected}.");
            }

            var timestamp = time < 0
                ? DateTimeOffset.FromUnixTimeMilliseconds(sequence)
                : ValueParser.ParseTime(table[i, time]) ?? throw new DataFormatException(_path, table.GetLine(i), _options.TimeColumn,
                    $"cannot read '{table[i, time]}' as a time (expected unix seconds or ISO 8601).");
            var id = "row-" + sequence.ToString(CultureInfo.InvariantCulture);
            records.Add(new FeedbackRecord<IReadOnlyDictionary<string, string?>>(
                id, sequence, table.GetRow(i), y > 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, timestamp)
            {
                UserId = user < 0 || ValueParser.IsMissing(table[i, user]) ? null : table[i, user],
            });
        }

        return records;
    }

    private int Require(CsvTable table, string column, string role)
    {
        var i = table.IndexOf(column);
        return i >= 0
            ? i
            : throw new DataFormatException(_path, null, column, $"there is no {role} column of that name; the columns are: {string.Join(", ", table.Header)}.");
    }
}
