namespace PatternQuality.Cli.Demo;

/// <summary>One line of the demo's version timeline.</summary>
internal sealed record DemoEvent(int Day, DateTimeOffset Date, string Event, string Version, string Outcome, string Detail);
