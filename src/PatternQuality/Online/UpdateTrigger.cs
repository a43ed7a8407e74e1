namespace PatternQuality.Online;

/// <summary>
/// Decides when an incremental update is due: when <see cref="UpdateTriggerOptions.CountThreshold"/> records are
/// waiting, when the oldest has waited <see cref="UpdateTriggerOptions.MaximumAge"/>, or when asked
/// (<see cref="RequestUpdate"/>). The updater awaits <see cref="WaitAsync"/>, runs the update and reports what it
/// consumed with <see cref="NotifyConsumed"/>.
/// </summary>
/// <remarks>
/// Thread-safe. Time is read only through the given <see cref="TimeProvider"/>, so tests can drive it. A
/// <see cref="FeedbackCollector{TPattern}"/> created with a trigger calls <see cref="NotifyArrived"/> and
/// <see cref="NotifyConsumed"/> itself.
/// </remarks>
public sealed class UpdateTrigger : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private TaskCompletionSource<UpdateReason>? _waiter;
    private long _pending;
    private DateTimeOffset _oldestArrival;
    private bool _requested;
    private bool _disposed;

    /// <summary>Initializes a new trigger.</summary>
    /// <param name="options">The settings, copied; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range; every such setting is listed.</exception>
    public UpdateTrigger(UpdateTriggerOptions? options = null, TimeProvider? timeProvider = null)
    {
        var o = options?.Clone() ?? new UpdateTriggerOptions();
        o.Validate();
        CountThreshold = o.CountThreshold;
        MaximumAge = o.MaximumAge;
        _time = timeProvider ?? TimeProvider.System;
        if (MaximumAge != Timeout.InfiniteTimeSpan)
        {
            _timer = _time.CreateTimer(static s => ((UpdateTrigger)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Gets how many waiting records make an update due.</summary>
    public int CountThreshold { get; }

    /// <summary>Gets how long the oldest waiting record may wait before an update is due.</summary>
    public TimeSpan MaximumAge { get; }

    /// <summary>Gets how many records are waiting for an update.</summary>
    public long PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>Gets why an update is due now, or <see cref="UpdateReason.None"/>.</summary>
    public UpdateReason Reason
    {
        get
        {
            lock (_gate)
            {
                return ReasonCore();
            }
        }
    }

    /// <summary>Gets whether an update is due now.</summary>
    public bool IsDue => Reason != UpdateReason.None;

    /// <summary>Records that feedback arrived and waits for an update.</summary>
    /// <param name="count">How many records.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void NotifyArrived(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        TaskCompletionSource<UpdateReason>? release;
        UpdateReason reason;
        lock (_gate)
        {
            if (_pending == 0)
            {
                _oldestArrival = _time.GetUtcNow();
                _timer?.Change(MaximumAge, Timeout.InfiniteTimeSpan);
            }

            _pending += count;
            reason = ReasonCore();
            release = TakeWaiterIfDue(reason);
        }

        release?.TrySetResult(reason);
    }

    /// <summary>Records that an update took records; clears a pending request.</summary>
    /// <param name="count">How many records the update took (at most <see cref="PendingCount"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <remarks>
    /// When records remain, the age clock keeps running from the oldest of them, so a backlog larger than one batch
    /// leaves the next update due at once.
    /// </remarks>
    public void NotifyConsumed(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _requested = false;
            _pending = Math.Max(0, _pending - count);
            if (_pending == 0)
            {
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Makes an update due now, whatever is waiting (for example after a drift alarm, or from an admin command).</summary>
    public void RequestUpdate()
    {
        TaskCompletionSource<UpdateReason>? release;
        lock (_gate)
        {
            _requested = true;
            release = TakeWaiterIfDue(UpdateReason.Requested);
        }

        release?.TrySetResult(UpdateReason.Requested);
    }

    /// <summary>Waits until an update is due.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Why the update is due.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The trigger was disposed.</exception>
    public async Task<UpdateReason> WaitAsync(CancellationToken cancellationToken = default)
    {
        Task<UpdateReason> task;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var reason = ReasonCore();
            if (reason != UpdateReason.None)
            {
                return reason;
            }

            _waiter ??= new TaskCompletionSource<UpdateReason>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _waiter.Task;
        }

        return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the age timer; pending waits fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        TaskCompletionSource<UpdateReason>? waiter;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            waiter = _waiter;
            _waiter = null;
        }

        _timer?.Dispose();
        waiter?.TrySetException(new ObjectDisposedException(nameof(UpdateTrigger)));
    }

    private void OnTimer()
    {
        TaskCompletionSource<UpdateReason>? release;
        UpdateReason reason;
        lock (_gate)
        {
            reason = ReasonCore();
            if (reason == UpdateReason.None && _pending > 0 && !_disposed)
            {
                // Timers may fire a little before the clock agrees the age is reached: check again shortly.
                var remaining = MaximumAge - (_time.GetUtcNow() - _oldestArrival);
                _timer?.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
            }

            release = TakeWaiterIfDue(reason);
        }

        release?.TrySetResult(reason);
    }

    private UpdateReason ReasonCore()
    {
        if (_requested)
        {
            return UpdateReason.Requested;
        }

        if (_pending >= CountThreshold)
        {
            return UpdateReason.Count;
        }

        if (_pending > 0 && MaximumAge != Timeout.InfiniteTimeSpan && _time.GetUtcNow() - _oldestArrival >= MaximumAge)
        {
            return UpdateReason.Age;
        }

        return UpdateReason.None;
    }

    private TaskCompletionSource<UpdateReason>? TakeWaiterIfDue(UpdateReason reason)
    {
        if (reason == UpdateReason.None || _waiter is null)
        {
            return null;
        }

        var w = _waiter;
        _waiter = null;
        return w;
    }
}
