namespace PatternQuality.Storage.Internal;

/// <summary>One activation: which version became active, when, and which was active before.</summary>
internal sealed class ManifestActivation
{
    public string Version { get; set; } = string.Empty;

    public string? Previous { get; set; }

    public DateTimeOffset At { get; set; }
}
