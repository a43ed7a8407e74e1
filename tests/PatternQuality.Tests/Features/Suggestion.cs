namespace PatternQuality.Tests.Features;

/// <summary>A host-like pattern type for the feature tests.</summary>
internal sealed record Suggestion(
    double? Confidence = 0.5,
    bool? Weekend = false,
    string? Type = "time_of_day",
    DateTimeOffset? ShownAt = null,
    string? User = "u1");
