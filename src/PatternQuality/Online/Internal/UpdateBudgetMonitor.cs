using Microsoft.Extensions.Logging;
using PatternQuality.Telemetry;

namespace PatternQuality.Online.Internal;

/// <summary>
/// Times incremental updates: records each one's duration and batch size on the meter and, when an update goes over
/// the budget, counts it, logs a warning and raises <see cref="SlowUpdate"/>.
/// </summary>
/// <remarks>Thread-safe; time is read only through the <see cref="TimeProvider"/>.</remarks>
internal sealed class UpdateBudgetMonitor
{
    private readonly string _learner;
    private readonly ILogger _logger;
    private readonly PatternQualityMetrics _metrics;
    private readonly TimeProvider _time;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is not positive (use <see cref="Timeout.InfiniteTimeSpan"/> for no budget).</exception>
    public UpdateBudgetMonitor(TimeSpan budget, string learner, ILogger logger, PatternQualityMetrics metrics, TimeProvider? timeProvider = null)
    {
        if (budget != Timeout.InfiniteTimeSpan && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The update budget must be positive, or Timeout.InfiniteTimeSpan for none.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(learner);
        Budget = budget;
        _learner = learner;
        _logger = logger;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised, on the thread that recorded the update, when an update went over the budget.</summary>
    public event EventHandler<SlowUpdateArguments>? SlowUpdate;

    public TimeSpan Budget { get; }

    /// <summary>Gets a timestamp to pass to <see cref="Record(long, int)"/> when the update ends.</summary>
    public long Start() => _time.GetTimestamp();

    /// <summary>Records an update that started at <paramref name="startTimestamp"/> (from <see cref="Start"/>) and ends now.</summary>
    public bool Record(long startTimestamp, int batchSize) => Record(_time.GetElapsedTime(startTimestamp), batchSize);

    /// <summary>Records a finished update.</summary>
    /// <returns><see langword="true"/> when it went over the budget.</returns>
    public bool Record(TimeSpan duration, int batchSize)
    {
        _metrics.RecordUpdate(_learner, duration, batchSize);
        if (Budget == Timeout.InfiniteTimeSpan || duration <= Budget)
        {
            return false;
        }

        _metrics.RecordSlowUpdate(_learner);
        Log.SlowUpdate(_logger, _learner, duration.TotalMilliseconds, batchSize, Budget.TotalMilliseconds);
        SlowUpdate?.Invoke(this, new SlowUpdateArguments(_learner, duration, Budget, batchSize));
        return true;
    }
}
