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

    /// <summary>The newest deletions kept in <see cref="Deletions"/>: enough to sweep the files of recent deletions.</summary>
    internal const int MaxDeletions = 1000;

    // Required: '{}' or a hand-written fragment must be an error, never an empty store whose clean-up then sweeps
    // every model file.
    [JsonRequired]
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string? Active { get; set; }

    [JsonRequired]
    public List<ManifestEntry> Versions { get; set; } = [];

    public List<ManifestActivation> Activations { get; set; } = [];

    /// <summary>Gets or sets the versions this store deleted, newest last: the only model files clean-up may delete.</summary>
    public List<ManifestDeletion>? Deletions { get; set; }

    /// <summary>Gets or sets a value indicating whether this manifest was read from disk (not a fresh, empty one).</summary>
    [JsonIgnore]
    internal bool LoadedFromDisk { get; set; }

    /// <summary>Records that this store removed a version from the manifest, so clean-up knows its file is garbage.</summary>
    internal void RecordDeletion(string version, DateTimeOffset at)
    {
        Deletions ??= [];
        Deletions.RemoveAll(d => d.Version == version);
        Deletions.Add(new ManifestDeletion { Version = version, At = at });
        if (Deletions.Count > MaxDeletions)
        {
            Deletions.RemoveRange(0, Deletions.Count - MaxDeletions);
        }
    }
}
