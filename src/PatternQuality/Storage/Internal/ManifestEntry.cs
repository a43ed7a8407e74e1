namespace PatternQuality.Storage.Internal;

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
