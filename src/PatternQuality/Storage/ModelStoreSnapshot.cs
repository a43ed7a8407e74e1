namespace PatternQuality.Storage;

/// <summary>The state of a model store as read inside <see cref="IModelStore.UpdateAsync"/>: every version and the active one.</summary>
public sealed class ModelStoreSnapshot
{
    /// <summary>Initializes a new instance of the <see cref="ModelStoreSnapshot"/> class.</summary>
    /// <param name="versions">Every version's metadata, oldest first.</param>
    /// <param name="activeVersion">The active version, or <see langword="null"/> when none is.</param>
    /// <exception cref="ArgumentNullException"><paramref name="versions"/> is null.</exception>
    public ModelStoreSnapshot(IReadOnlyList<ModelMetadata> versions, string? activeVersion)
    {
        ArgumentNullException.ThrowIfNull(versions);
        Versions = versions;
        ActiveVersion = activeVersion;
    }

    /// <summary>Gets every version's metadata, oldest first.</summary>
    public IReadOnlyList<ModelMetadata> Versions { get; }

    /// <summary>Gets the active version, or <see langword="null"/> when none has been activated.</summary>
    public string? ActiveVersion { get; }

    /// <summary>Finds a version's metadata.</summary>
    /// <param name="version">The version id.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="ModelNotFoundException">No such version.</exception>
    public ModelMetadata Get(string version) =>
        Versions.FirstOrDefault(v => v.Version == version) ?? throw new ModelNotFoundException(version, Versions.Select(v => v.Version));
}
