using System.Diagnostics.Metrics;
using PatternQuality.Telemetry;

namespace PatternQuality.Scoring;

/// <summary>
/// Holds the model that scoring requests use now, and lets a background update publish its successor atomically.
/// </summary>
/// <remarks>
/// Scoring threads read <see cref="Current"/> once into a local and score with it; a swap never tears a request in
/// half, because models are immutable and the reference is published with a full fence.
/// </remarks>
public sealed class QualityModelHolder
{
    private readonly PatternQualityMetrics _metrics;
    private readonly Lock _servedGate = new();
    private IQualityModel? _current;
    private string? _servedVersion;

    /// <summary>Initializes a new holder, empty or with a first model.</summary>
    /// <param name="initial">The first model, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter (swaps, the served version); the shared static meter when <see langword="null"/>.</param>
    public QualityModelHolder(IQualityModel? initial = null, IMeterFactory? meterFactory = null)
    {
        _current = initial;
        _metrics = PatternQualityMetrics.Create(meterFactory);
        _servedVersion = initial?.Info.Version;
        _metrics.RecordServed(null, _servedVersion);
    }

    /// <summary>Raised after <see cref="Swap"/> publishes a new model.</summary>
    public event EventHandler<QualityModelSwappedArguments>? Swapped;

    /// <summary>Gets the current model, or <see langword="null"/> before the first one is published.</summary>
    public IQualityModel? Current => Volatile.Read(ref _current);

    /// <summary>Gets the current model.</summary>
    /// <returns>The current model.</returns>
    /// <exception cref="InvalidOperationException">No model has been published yet.</exception>
    public IQualityModel GetRequired() => Current
        ?? throw new InvalidOperationException("No quality model has been loaded or trained yet.");

    /// <summary>Publishes <paramref name="next"/> and returns the model it replaced.</summary>
    /// <param name="next">The new model.</param>
    /// <returns>The previous model, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is null.</exception>
    public IQualityModel? Swap(IQualityModel next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Interlocked.Exchange(ref _current, next);
        if (next.Info.Version is { } version)
        {
            // Unsaved updates (no version yet) keep reporting the stored version they build on.
            lock (_servedGate)
            {
                _metrics.RecordSwap(_servedVersion, version);
                _servedVersion = version;
            }
        }
        else
        {
            _metrics.RecordSwap(null, null);
        }

        Swapped?.Invoke(this, new QualityModelSwappedArguments(previous, next));
        return previous;
    }
}
