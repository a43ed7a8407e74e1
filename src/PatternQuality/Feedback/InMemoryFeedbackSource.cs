using System.Runtime.CompilerServices;

namespace PatternQuality.Feedback;

/// <summary>
/// An <see cref="IFeedbackStore{TPattern}"/> kept in process memory: for tests, demos and hosts that push feedback
/// as it happens. Thread-safe; readers see a snapshot taken when they start. Nothing survives the process: use a
/// durable store (a file log or a database) in production.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
public sealed class InMemoryFeedbackSource<TPattern> : IFeedbackStore<TPattern>
{
    private readonly Lock _gate = new();
    private readonly List<FeedbackRecord<TPattern>> _records = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new, empty source.</summary>
    /// <param name="timeProvider">The clock <see cref="Add(TPattern, FeedbackOutcome, string?)"/> stamps records with; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryFeedbackSource(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the number of records held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Appends a record. Its sequence must be greater than every sequence already held.</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException">The record's sequence does not come after the last one held.</exception>
    public void Add(FeedbackRecord<TPattern> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_records.Count > 0 && record.Sequence <= _records[^1].Sequence)
            {
                throw new ArgumentException(
                    $"Feedback '{record.Id}' has sequence {record.Sequence}, which does not come after the last one held ({_records[^1].Sequence}).",
                    nameof(record));
            }

            _records.Add(record);
            _ids.Add(record.Id);
        }
    }

    /// <summary>Appends feedback on a pattern, stamped now, with the next sequence number and an id made from it.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="outcome">What the user did.</param>
    /// <param name="userId">The user, if known.</param>
    /// <returns>The record added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public FeedbackRecord<TPattern> Add(TPattern pattern, FeedbackOutcome outcome, string? userId = null)
    {
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), "Cannot add feedback on a null pattern.");
        }

        lock (_gate)
        {
            var sequence = _records.Count == 0 ? 0 : _records[^1].Sequence + 1;
            var record = new FeedbackRecord<TPattern>(
                "mem-" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), sequence, pattern, outcome, _timeProvider.GetUtcNow())
            {
                UserId = userId,
            };
            _records.Add(record);
            _ids.Add(record.Id);
            return record;
        }
    }

    /// <inheritdoc />
    /// <remarks>Held in memory only: "durable" here lasts as long as the process.</remarks>
    public Task<FeedbackAppendResult<TPattern>> AppendAsync(IReadOnlyList<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException($"Record {i} of the batch is null.", nameof(records));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var accepted = new List<FeedbackRecord<TPattern>>(records.Count);
            var duplicates = 0;
            var sequence = _records.Count == 0 ? -1 : _records[^1].Sequence;
            foreach (var record in records)
            {
                // The id set also holds the batch's earlier ids once added, so a repeat within the batch is a duplicate.
                if (!_ids.Add(record.Id))
                {
                    duplicates++;
                    continue;
                }

                var stored = record with { Sequence = ++sequence };
                _records.Add(stored);
                accepted.Add(stored);
            }

            return Task.FromResult(new FeedbackAppendResult<TPattern>(accepted, duplicates));
        }
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult((long)Count);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FeedbackRecord<TPattern>> ReadAsync(
        FeedbackWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FeedbackRecord<TPattern>[] snapshot;
        lock (_gate)
        {
            var start = FirstAfter(after.Sequence);
            snapshot = _records.GetRange(start, _records.Count - start).ToArray();
        }

        foreach (var record in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private int FirstAfter(long sequence)
    {
        // Sequences only grow, so a binary search finds the resume point.
        int lo = 0, hi = _records.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_records[mid].Sequence <= sequence)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
