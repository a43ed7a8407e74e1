using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatternQuality.Internal;
using PatternQuality.Telemetry;

namespace PatternQuality.Feedback;

/// <summary>
/// Writes served predictions and their outcomes to an <see cref="IPredictionLog"/> in the background, in batches, so
/// that scoring never waits for the log: a bounded queue in front of one writer, and what does not fit is dropped and
/// counted (and logged), never waited for.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TryRecord(string, string, float, string?)"/> and <see cref="TryResolve"/> only enqueue (no I/O, no lock
/// held while writing). One background writer takes whatever has queued, up to <see cref="PredictionRecorderOptions.BatchSize"/>,
/// and writes it in one call: a run of predictions with <see cref="IPredictionLog.AppendAsync"/>, a run of outcomes
/// with <see cref="IPredictionLog.ResolveAsync"/>, in queue order, so a verdict never resolves a prediction served after it.
/// </para>
/// <para>
/// What is lost, and counted: predictions and outcomes that find the queue full (<see cref="DroppedCount"/>, a warning at
/// most every 10 seconds), batches the log refused (<see cref="FailedCount"/>, an error logged, not retried: the log is a
/// record of service, and a retry loop would grow the queue while the database is down), and what is queued when the
/// process dies. Feedback itself is never lost this way: it lives in the feedback store.
/// </para>
/// </remarks>
public sealed class PredictionRecorder : IAsyncDisposable
{
    private static readonly TimeSpan DropWarningInterval = TimeSpan.FromSeconds(10);

    private readonly IPredictionLog _log;
    private readonly PredictionRecorderOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly float _threshold;
    private readonly Channel<Entry> _queue;
    private readonly Task _writer;
    private long _recorded;
    private long _resolved;
    private long _dropped;
    private long _failed;
    private long _droppedAtLastWarning;
    private long _lastWarningTicks = long.MinValue;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PredictionRecorder"/> class and starts its writer.</summary>
    /// <param name="log">Where the predictions go.</param>
    /// <param name="options">Queue capacity, batch size and the decision threshold; validated here.</param>
    /// <param name="logger">Receives the drop warnings and write errors; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock that stamps predictions; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="log"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; every problem is listed.</exception>
    public PredictionRecorder(IPredictionLog log, PredictionRecorderOptions options, ILogger<PredictionRecorder>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        OptionsValidation.ThrowIfInvalid(options, new PredictionRecorderOptionsValidator());
        _log = log;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;

        // Compared in the scores' own precision: a threshold of 0.7 takes a served 0.7f (0.69999999) as "approve".
        _threshold = (float)options.DecisionThreshold;
        _queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Gets how many predictions were written to the log.</summary>
    public long RecordedCount => Interlocked.Read(ref _recorded);

    /// <summary>Gets how many served predictions the outcomes written so far resolved.</summary>
    public long ResolvedCount => Interlocked.Read(ref _resolved);

    /// <summary>Gets how many predictions and outcomes were dropped because the queue was full (or the recorder stopped).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many predictions and outcomes were lost because the log refused their batch.</summary>
    public long FailedCount => Interlocked.Read(ref _failed);

    /// <summary>Gets the score at or above which a served prediction counts as "approve" (<see cref="PredictionRecorderOptions.DecisionThreshold"/>).</summary>
    public double DecisionThreshold => _options.DecisionThreshold;

    /// <summary>Queues a served score, stamped now, with its decision from <see cref="DecisionThreshold"/>; never waits.</summary>
    /// <param name="patternId">The host's id of the scored pattern (the id its feedback will carry).</param>
    /// <param name="modelVersion">The version of the model that served the score.</param>
    /// <param name="score">The served score, in [0, 1].</param>
    /// <param name="userId">The user the pattern was scored for, if any.</param>
    /// <returns><see langword="true"/> when queued; <see langword="false"/> when dropped (queue full, or the recorder stopped).</returns>
    /// <exception cref="ArgumentException"><paramref name="patternId"/> or <paramref name="modelVersion"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not in [0, 1].</exception>
    public bool TryRecord(string patternId, string modelVersion, float score, string? userId = null) =>
        TryRecord(new PredictionRecord(patternId, modelVersion, score, score >= _threshold, _time.GetUtcNow()) { UserId = userId });

    /// <summary>Queues a served prediction as given; never waits.</summary>
    /// <param name="prediction">The prediction.</param>
    /// <returns><see langword="true"/> when queued; <see langword="false"/> when dropped (queue full, or the recorder stopped).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prediction"/> is null.</exception>
    public bool TryRecord(PredictionRecord prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return Enqueue(new Entry(prediction, default, null));
    }

    /// <summary>Queues the verdict that closes a pattern's served predictions; never waits.</summary>
    /// <param name="outcome">The pattern id (the feedback's id) and the user's decision.</param>
    /// <returns><see langword="true"/> when queued; <see langword="false"/> when dropped.</returns>
    /// <exception cref="ArgumentException">The pattern id is empty.</exception>
    public bool TryResolve(PredictionOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outcome.PatternId, nameof(outcome));
        return Enqueue(new Entry(null, outcome, null));
    }

    /// <summary>Waits until everything queued before the call has been written (or counted as failed).</summary>
    /// <param name="cancellationToken">Stops waiting; the entries are still written.</param>
    /// <returns>A task that completes when the queue ahead of it is written.</returns>
    /// <exception cref="ObjectDisposedException">The recorder was disposed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new Entry(null, default, done), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(PredictionRecorder));
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking predictions and writes what is queued, then stops the writer. Calling it again does nothing.</summary>
    /// <returns>A task that completes when the queue is written.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private bool Enqueue(Entry entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        WarnAboutDrops(dropped);
        return false;
    }

    // At most one warning per interval, saying how many were dropped since the last one: a scorer under pressure must not
    // also flood the logs.
    private void WarnAboutDrops(long dropped)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarningTicks);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < DropWarningInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            var since = dropped - Interlocked.Exchange(ref _droppedAtLastWarning, dropped);
            Log.PredictionsDropped(_logger, since, dropped, _options.Capacity);
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var predictions = new List<PredictionRecord>(_options.BatchSize);
        var outcomes = new List<PredictionOutcome>(_options.BatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (predictions.Count + outcomes.Count < _options.BatchSize && reader.TryRead(out var entry))
            {
                if (entry.Prediction is { } prediction)
                {
                    // A prediction after queued outcomes: those are written first, so they cannot resolve it.
                    await WriteOutcomesAsync(outcomes).ConfigureAwait(false);
                    predictions.Add(prediction);
                }
                else if (entry.Flushed is { } flushed)
                {
                    await WritePredictionsAsync(predictions).ConfigureAwait(false);
                    await WriteOutcomesAsync(outcomes).ConfigureAwait(false);
                    flushed.TrySetResult();
                }
                else
                {
                    await WritePredictionsAsync(predictions).ConfigureAwait(false);
                    outcomes.Add(entry.Outcome);
                }
            }

            await WritePredictionsAsync(predictions).ConfigureAwait(false);
            await WriteOutcomesAsync(outcomes).ConfigureAwait(false);
        }
    }

    private async Task WritePredictionsAsync(List<PredictionRecord> predictions)
    {
        if (predictions.Count == 0)
        {
            return;
        }

        try
        {
            await _log.AppendAsync(predictions.ToArray(), CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _recorded, predictions.Count);
        }
        catch (Exception ex)
        {
            Interlocked.Add(ref _failed, predictions.Count);
            Log.PredictionLogWriteFailed(_logger, ex, predictions.Count, "predictions");
        }

        predictions.Clear();
    }

    private async Task WriteOutcomesAsync(List<PredictionOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        try
        {
            Interlocked.Add(ref _resolved, await _log.ResolveAsync(outcomes.ToArray(), CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Interlocked.Add(ref _failed, outcomes.Count);
            Log.PredictionLogWriteFailed(_logger, ex, outcomes.Count, "outcomes");
        }

        outcomes.Clear();
    }

    private readonly record struct Entry(PredictionRecord? Prediction, PredictionOutcome Outcome, TaskCompletionSource? Flushed);
}
