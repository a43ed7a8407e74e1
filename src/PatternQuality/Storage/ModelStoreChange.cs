namespace PatternQuality.Storage;

/// <summary>
/// Changes that <see cref="IModelStore.UpdateAsync"/> applies all at once: replaced metadata of existing versions and,
/// optionally, a new active version. After a crash the store holds either none of them or all of them.
/// </summary>
public sealed class ModelStoreChange
{
    /// <summary>Gets the new metadata of existing versions (aliases, decisions, properties); their bytes are unchanged.</summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<ModelMetadata> UpdatedVersions { get; init; } = [];

    /// <summary>Gets the version to make active, or <see langword="null"/> to leave the active version as it is.</summary>
    /// <remarks>The store verifies that the version loads before it switches; if it does not, nothing is changed.</remarks>
    public string? ActivateVersion { get; init; }
}
