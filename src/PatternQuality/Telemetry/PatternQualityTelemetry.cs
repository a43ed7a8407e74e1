namespace PatternQuality.Telemetry;

/// <summary>Names a host needs to export PatternQuality's telemetry.</summary>
/// <remarks>
/// <code>
/// builder.Services.AddOpenTelemetry().WithMetrics(m =&gt; m.AddMeter(PatternQualityTelemetry.MeterName));
/// </code>
/// </remarks>
public static class PatternQualityTelemetry
{
    /// <summary>The name of the meter every PatternQuality instrument lives under.</summary>
    public const string MeterName = PatternQualityMetrics.MeterName;
}
