namespace PatternQuality.Cli.Demo;

/// <summary>What a demo run did and where it put its files.</summary>
internal sealed class DemoResult
{
    public required string OutDirectory { get; init; }

    public required string StoreDirectory { get; init; }

    public required string ReportPath { get; init; }

    public required int Days { get; init; }

    public required int Feedback { get; init; }

    public required int Versions { get; init; }

    public required int Promoted { get; init; }

    public required int Rejected { get; init; }

    public required int Rollbacks { get; init; }

    public required string ActiveVersion { get; init; }

    public required IReadOnlyDictionary<string, double> FinalMetrics { get; init; }

    public required IReadOnlyList<DemoEvent> Events { get; init; }

    public required IReadOnlyList<DemoWeek> Weeks { get; init; }

    public required double Seconds { get; init; }
}
