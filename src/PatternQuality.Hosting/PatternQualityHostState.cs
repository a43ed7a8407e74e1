namespace PatternQuality.Hosting;

/// <summary>What the hosted lifecycle has seen lately: read by the health check and by <c>pq serve</c>'s status.</summary>
/// <remarks>Thread-safe: one lock guards the few fields, written rarely (per update or training) and read per probe.</remarks>
public sealed class PatternQualityHostState
{
    private readonly Lock _gate = new();
    private Exception? _lastUpdateError;
    private Exception? _lastTrainingError;
    private DateTimeOffset? _lastUpdate;
    private DateTimeOffset? _lastTraining;
    private DateTimeOffset? _lastDrift;

    /// <summary>Gets the error of the last update or follow-up check, or <see langword="null"/> when it succeeded.</summary>
    public Exception? LastUpdateError
    {
        get
        {
            lock (_gate)
            {
                return _lastUpdateError;
            }
        }
    }

    /// <summary>Gets the error of the last training, or <see langword="null"/> when it succeeded (or none ran).</summary>
    public Exception? LastTrainingError
    {
        get
        {
            lock (_gate)
            {
                return _lastTrainingError;
            }
        }
    }

    /// <summary>Gets when the last incremental update ran.</summary>
    public DateTimeOffset? LastUpdate
    {
        get
        {
            lock (_gate)
            {
                return _lastUpdate;
            }
        }
    }

    /// <summary>Gets when the last training finished.</summary>
    public DateTimeOffset? LastTraining
    {
        get
        {
            lock (_gate)
            {
                return _lastTraining;
            }
        }
    }

    /// <summary>Gets when the drift detector last fired, cleared by the next successful training.</summary>
    public DateTimeOffset? DriftSince
    {
        get
        {
            lock (_gate)
            {
                return _lastDrift;
            }
        }
    }

    internal void RecordUpdate(Exception? error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastUpdateError = error;
            _lastUpdate = at;
        }
    }

    internal void RecordTraining(Exception? error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastTrainingError = error;
            _lastTraining = at;
            if (error is null)
            {
                _lastDrift = null;
            }
        }
    }

    internal void RecordDrift(DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastDrift = at;
        }
    }
}
