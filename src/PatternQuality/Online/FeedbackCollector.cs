using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatternQuality.Feedback;
using PatternQuality.Telemetry;

namespace PatternQuality.Online;

/// <summary>
/// A bounded, thread-safe buffer between the threads that receive feedback and the one that learns from it.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// <para>Bad input is handled on purpose, and none of it is dropped silently:</para>
/// <list type="bullet">
/// <item><description>Full: <see cref="TryWrite"/> returns <see cref="FeedbackWriteResult.Full"/> and the caller keeps the
/// record; <see cref="WriteAsync"/> waits for room (backpressure). Memory never grows past
/// <see cref="FeedbackCollectorOptions.Capacity"/> records, however fast feedback floods in.</description></item>
/// <item><description>Duplicate id (within the last <see cref="FeedbackCollectorOptions.DuplicateWindow"/> ids): discarded,
/// reported as <see cref="FeedbackWriteResult.Duplicate"/>, counted in <see cref="DuplicateCount"/>, the
/// <c>patternquality.feedback.duplicates</c> counter and a debug log.</description></item>
/// <item><description>Out-of-order timestamp (earlier than one already accepted): accepted and counted in
/// <see cref="OutOfOrderCount"/>. Each batch handed out is ordered by <see cref="FeedbackRecord{TPattern}.Sequence"/>
/// (ties keep arrival order), not by timestamp.</description></item>
/// </list>
/// </remarks>
public sealed class FeedbackCollector<TPattern> : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<FeedbackRecord<TPattern>> _buffer = new();
    private readonly SemaphoreSlim _space;
    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private readonly int _duplicateWindow;
    private readonly ILogger _logger;
    private readonly PatternQualityMetrics _metrics;
    private TaskCompletionSource? _dataWaiter;
    private DateTimeOffset _latestTimestamp = DateTimeOffset.MinValue;
    private bool _fullLogged;
    private long _accepted;
    private long _duplicates;
    private long _rejected;
    private long _outOfOrder;

    /// <summary>Initializes a new collector.</summary>
    /// <param name="options">The settings, copied; <see langword="null"/> for the defaults.</param>
    /// <param name="trigger">The update trigger to tell about arrivals and drains, or <see langword="null"/>.</param>
    /// <param name="logger">Where warnings go; <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter; <see langword="null"/> for the shared static meter.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range; every such setting is listed.</exception>
    /// <exception cref="ArgumentException">The trigger's count threshold exceeds the capacity, so a full collector would never trigger an update.</exception>
    public FeedbackCollector(
        FeedbackCollectorOptions? options = null,
        UpdateTrigger? trigger = null,
        ILogger? logger = null,
        IMeterFactory? meterFactory = null)
    {
        var o = options?.Clone() ?? new FeedbackCollectorOptions();
        o.Validate();
        if (trigger is not null && trigger.CountThreshold > o.Capacity)
        {
            throw new ArgumentException(
                $"UpdateTriggerOptions.CountThreshold ({trigger.CountThreshold}) exceeds FeedbackCollectorOptions.Capacity ({o.Capacity}): a full collector would never trigger an update.",
                nameof(trigger));
        }

        Capacity = o.Capacity;
        _duplicateWindow = o.DuplicateWindow;
        _space = new SemaphoreSlim(o.Capacity, o.Capacity);
        Trigger = trigger;
        _logger = logger ?? NullLogger.Instance;
        _metrics = PatternQualityMetrics.Create(meterFactory);
    }

    /// <summary>Gets the most records the collector holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the trigger told about arrivals and drains, if any.</summary>
    public UpdateTrigger? Trigger { get; }

    /// <summary>Gets how many records are waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>Gets how many records have been accepted.</summary>
    public long AcceptedCount => Interlocked.Read(ref _accepted);

    /// <summary>Gets how many records were discarded as duplicates.</summary>
    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    /// <summary>Gets how many <see cref="TryWrite"/> calls were refused because the collector was full.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Gets how many accepted records had a timestamp earlier than one accepted before them.</summary>
    public long OutOfOrderCount => Interlocked.Read(ref _outOfOrder);

    /// <summary>Adds a record if there is room, without waiting.</summary>
    /// <param name="record">The feedback.</param>
    /// <returns>Whether the record was accepted, discarded as a duplicate, or refused because the collector is full.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public FeedbackWriteResult TryWrite(FeedbackRecord<TPattern> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = TryWriteCore(record);
        if (result == FeedbackWriteResult.Full)
        {
            OnRejected();
        }

        return result;
    }

    /// <summary>Adds a record, waiting for room when the collector is full.</summary>
    /// <param name="record">The feedback.</param>
    /// <param name="cancellationToken">Stops waiting; the record is then not added.</param>
    /// <returns><see cref="FeedbackWriteResult.Accepted"/> or <see cref="FeedbackWriteResult.Duplicate"/>; never <see cref="FeedbackWriteResult.Full"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async ValueTask<FeedbackWriteResult> WriteAsync(FeedbackRecord<TPattern> record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = TryWriteCore(record);
        if (result != FeedbackWriteResult.Full)
        {
            return result;
        }

        await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
        TaskCompletionSource? release = null;
        bool duplicate;
        lock (_gate)
        {
            duplicate = IsRecentDuplicate(record.Id);
            if (duplicate)
            {
                _space.Release();
            }
            else
            {
                release = Enqueue(record);
            }
        }

        return duplicate ? OnDuplicate() : OnAccepted(release);
    }

    /// <summary>Takes up to <paramref name="maxCount"/> waiting records, without waiting.</summary>
    /// <param name="maxCount">The most records to take.</param>
    /// <returns>The records, ordered by sequence; empty when none are waiting.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    public IReadOnlyList<FeedbackRecord<TPattern>> DrainBatch(int maxCount = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        FeedbackRecord<TPattern>[] batch;
        lock (_gate)
        {
            batch = new FeedbackRecord<TPattern>[Math.Min(maxCount, _buffer.Count)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = _buffer.Dequeue();
            }

            if (batch.Length > 0)
            {
                _fullLogged = false;
                Trigger?.NotifyConsumed(batch.Length);
            }
        }

        if (batch.Length == 0)
        {
            return batch;
        }

        _space.Release(batch.Length);

        // Stable: records with equal sequence keep their arrival order.
        return batch.OrderBy(r => r.Sequence).ToArray();
    }

    /// <summary>Waits until at least one record is waiting, then takes up to <paramref name="maxCount"/>.</summary>
    /// <param name="maxCount">The most records to take.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The records, ordered by sequence; never empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<IReadOnlyList<FeedbackRecord<TPattern>>> ReadBatchAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_buffer.Count == 0)
                {
                    _dataWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _dataWaiter.Task;
                }
                else
                {
                    wait = Task.CompletedTask;
                }
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            var batch = DrainBatch(maxCount);
            if (batch.Count > 0)
            {
                return batch;
            }
        }
    }

    /// <summary>Releases the wait handle behind backpressure. Records still waiting are dropped with the collector.</summary>
    public void Dispose() => _space.Dispose();

    private FeedbackWriteResult TryWriteCore(FeedbackRecord<TPattern> record)
    {
        TaskCompletionSource? release = null;
        bool duplicate;
        lock (_gate)
        {
            duplicate = IsRecentDuplicate(record.Id);
            if (!duplicate)
            {
                if (!_space.Wait(0))
                {
                    return FeedbackWriteResult.Full;
                }

                release = Enqueue(record);
            }
        }

        return duplicate ? OnDuplicate() : OnAccepted(release);
    }

    private bool IsRecentDuplicate(string id) => _duplicateWindow > 0 && _recentIds.Contains(id);

    // Called under the gate.
    private TaskCompletionSource? Enqueue(FeedbackRecord<TPattern> record)
    {
        _buffer.Enqueue(record);
        if (_duplicateWindow > 0)
        {
            _recentIds.Add(record.Id);
            _recentOrder.Enqueue(record.Id);
            if (_recentOrder.Count > _duplicateWindow)
            {
                _recentIds.Remove(_recentOrder.Dequeue());
            }
        }

        if (record.Timestamp < _latestTimestamp)
        {
            Interlocked.Increment(ref _outOfOrder);
            _metrics.RecordFeedbackOutOfOrder();
        }
        else
        {
            _latestTimestamp = record.Timestamp;
        }

        // Inside the gate, so the trigger's pending count never runs behind a concurrent drain.
        Trigger?.NotifyArrived();
        var waiter = _dataWaiter;
        _dataWaiter = null;
        return waiter;
    }

    private FeedbackWriteResult OnAccepted(TaskCompletionSource? release)
    {
        Interlocked.Increment(ref _accepted);
        _metrics.RecordFeedbackAccepted();
        release?.TrySetResult();
        return FeedbackWriteResult.Accepted;
    }

    private FeedbackWriteResult OnDuplicate()
    {
        var total = Interlocked.Increment(ref _duplicates);
        _metrics.RecordFeedbackDuplicate();
        Log.DuplicateFeedback(_logger, total);
        return FeedbackWriteResult.Duplicate;
    }

    private void OnRejected()
    {
        Interlocked.Increment(ref _rejected);
        _metrics.RecordFeedbackRejected();
        bool log;
        lock (_gate)
        {
            // One warning per full episode, not one per refused record: a flood must not flood the log too.
            log = !_fullLogged;
            _fullLogged = true;
        }

        if (log)
        {
            Log.FeedbackRejected(_logger, Capacity);
        }
    }
}
