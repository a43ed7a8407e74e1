namespace PatternQuality.Cli.Demo;

/// <summary>The simulation's clock: versions are stamped with simulated dates, so the timeline reads as weeks, not seconds.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
