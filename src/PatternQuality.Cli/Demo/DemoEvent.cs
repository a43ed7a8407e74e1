namespace PatternQuality.Cli.Demo;

/// <summary>One line of the demo's version timeline.</summary>
internal sealed record DemoEvent(int Day, DateTimeOffset Date, string Event, string Version, string Outcome, string Detail);

/// <summary>What the active model scored on one simulated week of live feedback, before learning from it.</summary>
internal sealed record DemoWeek(int Week, string ActiveVersions, int Rows, double Auc, double Brier, double Ece);
