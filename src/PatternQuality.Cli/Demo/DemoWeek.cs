namespace PatternQuality.Cli.Demo;

/// <summary>What the active model scored on one simulated week of live feedback, before learning from it.</summary>
internal sealed record DemoWeek(int Week, string ActiveVersions, int Rows, double Auc, double Brier, double Ece);
