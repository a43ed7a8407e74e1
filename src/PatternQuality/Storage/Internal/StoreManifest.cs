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
}

/// <summary>One version in the manifest: where its file is, its checksum and its metadata.</summary>
internal sealed class ManifestEntry
{
    public string Version { get; set; } = string.Empty;

    public string File { get; set; } = string.Empty;

    public long Length { get; set; }

    public string Sha256 { get; set; } = string.Empty;

    public string? ParentVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? SchemaHash { get; set; }

    public long WatermarkSequence { get; set; } = -1;

    public long TrainingRows { get; set; }

    public Dictionary<string, double>? Metrics { get; set; }

    public Dictionary<string, string>? Properties { get; set; }

    public List<string>? Aliases { get; set; }

    public bool Pinned { get; set; }

    public bool? Promoted { get; set; }

    public string? Decision { get; set; }

    internal static ManifestEntry From(ModelMetadata m, string file, long length, string sha256) => new()
    {
        Version = m.Version,
        File = file,
        Length = length,
        Sha256 = sha256,
        ParentVersion = m.ParentVersion,
        CreatedAt = m.CreatedAt,
        SchemaHash = m.SchemaHash,
        WatermarkSequence = m.WatermarkSequence,
        TrainingRows = m.TrainingRows,
        Metrics = new Dictionary<string, double>(m.Metrics, StringComparer.Ordinal),
        Properties = new Dictionary<string, string>(m.Properties, StringComparer.Ordinal),
        Aliases = [.. m.Aliases],
        Pinned = m.Pinned,
        Promoted = m.Promoted,
        Decision = m.Decision,
    };

    internal ModelMetadata ToMetadata() => new(Version)
    {
        ParentVersion = ParentVersion,
        CreatedAt = CreatedAt,
        SchemaHash = SchemaHash,
        WatermarkSequence = WatermarkSequence,
        TrainingRows = TrainingRows,
        Metrics = Metrics ?? new Dictionary<string, double>(),
        Properties = Properties ?? new Dictionary<string, string>(),
        Aliases = Aliases ?? [],
        Pinned = Pinned,
        Promoted = Promoted,
        Decision = Decision,
    };
}

/// <summary>One activation: which version became active, when, and which was active before.</summary>
internal sealed class ManifestActivation
{
    public string Version { get; set; } = string.Empty;

    public string? Previous { get; set; }

    public DateTimeOffset At { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(StoreManifest))]
internal sealed partial class StoreManifestJsonContext : JsonSerializerContext;
