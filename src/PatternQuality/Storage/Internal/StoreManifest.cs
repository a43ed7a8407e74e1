using System.Text.Json.Serialization;

namespace PatternQuality.Storage.Internal;

/// <summary>The JSON document <c>manifest.json</c>: every version in save order, the active one and the activation history.</summary>
/// <remarks>
/// Schema history:
///   1: first schema.
/// </remarks>
internal sealed class StoreManifest
{
    internal const int CurrentSchemaVersion = 1;

    /// <summary>The newest activations kept in <see cref="Activations"/>; older ones are dropped so the file stays small.</summary>
    internal const int MaxActivations = 200;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string? Active { get; set; }

    public List<ManifestEntry> Versions { get; set; } = [];

    public List<ManifestActivation> Activations { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether this manifest was read from disk (not a fresh, empty one).</summary>
    [JsonIgnore]
    internal bool LoadedFromDisk { get; set; }
}
