namespace PatternQuality.Storage;

/// <summary>
/// Keeps model versions: their bytes, their metadata and which one is active. The host application supplies its own
/// (a database table, blob storage) or uses a built-in one.
/// </summary>
/// <remarks>
/// <para>
/// Implementations must be safe for concurrent use. A save must be all-or-nothing: after a crash, every version the
/// store lists must load, and the active version must be one that loads.
/// </para>
/// <para>
/// <see cref="UpdateAsync"/> is the seam that makes the quality gate safe across processes: the read, the decision
/// and the write happen in one critical section. <see cref="FileSystemModelStore"/> holds its cross-process file lock
/// for it; a database store would hold a row lock (<c>SELECT ... FOR UPDATE</c> on a store row) or an advisory lock
/// for the duration of one transaction.
/// </para>
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

    /// <summary>
    /// Reads the store's state, lets <paramref name="update"/> decide what to change, and applies the change, all in one
    /// critical section: no other writer (in this or another process) changes the store in between, and the change is
    /// applied at once (one manifest write, one transaction).
    /// </summary>
    /// <param name="update">
    /// Receives the current state; returns the change, or <see langword="null"/> to change nothing. It may read
    /// versions with <see cref="LoadAsync"/> but must not call other writing members of this store (they wait for the
    /// same lock). An exception from it aborts the update with nothing changed.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for the lock and the update; a cancelled update changes nothing.</param>
    /// <returns>A task that completes when the change is durable.</returns>
    /// <exception cref="ModelNotFoundException">The change names a version that does not exist.</exception>
    Task UpdateAsync(Func<ModelStoreSnapshot, CancellationToken, Task<ModelStoreChange?>> update, CancellationToken cancellationToken = default);
}
