namespace PatternQuality.Cli.Demo;

/// <summary>A suggestion the simulated host application shows to a user (a home-automation pattern, as in the seeds).</summary>
internal sealed record SimulatedPattern(
    string PatternType,
    double Confidence,
    int Occurrences,
    int DeviceCount,
    string UserId,
    DateTimeOffset ShownAt);
