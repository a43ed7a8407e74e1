namespace PatternQuality.Storage.Internal;

/// <summary>One deletion: which version this store removed from the manifest, and when.</summary>
internal sealed class ManifestDeletion
{
    public string Version { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }
}
