using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace PatternQuality.Tests.Telemetry;

/// <summary>
/// Records every measurement of one meter. Each recorder has its own <see cref="IMeterFactory"/>, so tests running in
/// parallel never see each other's measurements.
/// </summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly ServiceProvider? _services;
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<Measurement> _measurements = [];

    public MeterRecorder()
        : this(null)
    {
    }

    /// <summary>Records the meters of a host's own factory (or of a new one when <paramref name="factory"/> is null).</summary>
    public MeterRecorder(IMeterFactory? factory)
    {
        if (factory is null)
        {
            _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            factory = _services.GetRequiredService<IMeterFactory>();
        }

        Factory = factory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == Factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    public IMeterFactory Factory { get; }

    public IReadOnlyList<Measurement> Measurements
    {
        get
        {
            lock (_gate)
            {
                return _measurements.ToArray();
            }
        }
    }

    public IReadOnlyList<Measurement> Of(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToArray();

    public void Dispose()
    {
        _listener.Dispose();
        _services?.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>();
        foreach (var t in tags)
        {
            dict[t.Key] = t.Value;
        }

        lock (_gate)
        {
            _measurements.Add(new Measurement(instrument.Name, instrument.Meter.Name, instrument.Unit, value, dict));
        }
    }

    public sealed record Measurement(string Instrument, string Meter, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);
}
