namespace PatternQuality.Storage;

/// <summary>
/// Keeps model versions: their bytes, their metadata and which one is active. The host application supplies its own
/// (a database table, blob storage) or uses a built-in one.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use. A save must be all-or-nothing: after a crash, every version the
/// store lists must load, and the active version must be one that loads.
/// </remarks>
public interface IModelStore
{
    /// <summary>Saves a new version.</summary>
    /// <param name="metadata">The metadata; <see cref="ModelMetadata.Version"/> must not exist yet.</param>
    /// <param name="content">The serialized model.</param>
    /// <param name="cancellationToken">Cancels the save; a cancelled save leaves no trace.</param>
    /// <returns>A task that completes when the version is durable.</returns>
    /// <exception cref="InvalidOperationException">The version already exists.</exception>
    Task SaveAsync(ModelMetadata metadata, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Loads a version's bytes and metadata.</summary>
    /// <param name="version">The version identifier.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The stored model.</returns>
    /// <exception cref="ModelNotFoundException">There is no such version.</exception>
    Task<StoredModel> LoadAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Lists the metadata of every version, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The versions.</returns>
    Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the metadata of an existing version (aliases, pins, decisions); the bytes are unchanged.</summary>
    /// <param name="metadata">The new metadata; its version must exist.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>A task that completes when the change is durable.</returns>
    /// <exception cref="ModelNotFoundException">There is no such version.</exception>
    Task UpdateMetadataAsync(ModelMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes a version. Deleting the active version is refused.</summary>
    /// <param name="version">The version identifier.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns><see langword="true"/> if it was deleted; <see langword="false"/> if it did not exist.</returns>
    /// <exception cref="InvalidOperationException">The version is the active one.</exception>
    Task<bool> DeleteAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Gets the active version, or <see langword="null"/> when none has been activated.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The active version identifier.</returns>
    Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes a version the active one.</summary>
    /// <param name="version">The version identifier.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task that completes when the change is durable.</returns>
    /// <exception cref="ModelNotFoundException">There is no such version.</exception>
    Task SetActiveVersionAsync(string version, CancellationToken cancellationToken = default);
}
