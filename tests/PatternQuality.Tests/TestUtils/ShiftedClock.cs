namespace PatternQuality.Tests.TestUtils;

/// <summary>
/// The system clock moved to another wall time: it starts at <c>start</c> and runs at real speed, with real timers. A
/// host on it reaches a cron occurrence (say 03:00 UTC) a few real seconds after it starts, with every other loop of the
/// host running as usual.
/// </summary>
internal sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;
}
