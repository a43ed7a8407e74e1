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

    // The model and the stored version it is (or builds on) are published as one reference, so a reader never pairs a
    // model with the version of its predecessor or successor (a response naming one version but scored by another).
    private Published? _published;
    private string? _metricVersion;

    /// <summary>Initializes a new holder, empty or with a first model.</summary>
    /// <param name="initial">The first model, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter (swaps, the served version); the shared static meter when <see langword="null"/>.</param>
    public QualityModelHolder(IQualityModel? initial = null, IMeterFactory? meterFactory = null)
    {
        _published = initial is null ? null : new Published(initial, initial.Info.Version);
        _metrics = PatternQualityMetrics.Create(meterFactory);
        _metricVersion = initial?.Info.Version;
        _metrics.RecordServed(null, _metricVersion);
    }

    /// <summary>Raised after <see cref="Swap"/> publishes a new model.</summary>
    public event EventHandler<QualityModelSwappedArguments>? Swapped;

    /// <summary>Gets the current model, or <see langword="null"/> before the first one is published.</summary>
    public IQualityModel? Current => Volatile.Read(ref _published)?.Model;

    /// <summary>
    /// Gets the stored version the current model is, or builds on (an incremental learner's unsaved updates carry no
    /// version of their own and report the one they descend from), or <see langword="null"/> before any stored version.
    /// </summary>
    /// <remarks>Read together with the model it belongs to by <see cref="PatternScorer{TPattern}.ScoreServed"/>, which names the version that scored a batch.</remarks>
    public string? ServedVersion => Volatile.Read(ref _published)?.Version;

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
        Published? previous;
        Published published;
        do
        {
            // Unsaved updates (no version yet) keep the stored version they build on.
            previous = Volatile.Read(ref _published);
            published = new Published(next, next.Info.Version ?? previous?.Version);
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _published, published, previous), previous));

        if (next.Info.Version is { } version)
        {
            lock (_servedGate)
            {
                _metrics.RecordSwap(_metricVersion, version);
                _metricVersion = version;
            }
        }
        else
        {
            _metrics.RecordSwap(null, null);
        }

        Swapped?.Invoke(this, new QualityModelSwappedArguments(previous?.Model, next));
        return previous?.Model;
    }

    /// <summary>Reads the current model and its stored version as one consistent pair.</summary>
    internal (IQualityModel? Model, string? Version) Read() => Volatile.Read(ref _published) is { } p ? (p.Model, p.Version) : (null, null);

    private sealed record Published(IQualityModel Model, string? Version);
}
