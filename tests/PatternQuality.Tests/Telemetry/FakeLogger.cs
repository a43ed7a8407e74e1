using Microsoft.Extensions.Logging;

namespace PatternQuality.Tests.Telemetry;

/// <summary>Keeps every log entry in memory for assertions.</summary>
internal sealed class FakeLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_gate)
        {
            _entries.Add(new Entry(logLevel, eventId, formatter(state, exception), exception, properties.ToDictionary(p => p.Key, p => p.Value)));
        }
    }

    public sealed record Entry(LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties);
}
