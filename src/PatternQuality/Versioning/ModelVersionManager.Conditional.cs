using PatternQuality.Storage;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    /// <summary>
    /// Activates a version only if the active version is still <paramref name="expectedActive"/>: the compare-and-set
    /// an automatic publisher (the incremental learner's snapshots) needs so it never lands over a promotion or a
    /// rollback made meanwhile.
    /// </summary>
    /// <param name="versionOrAlias">The version id or an alias to activate.</param>
    /// <param name="expectedActive">The version the caller built on; <see langword="null"/> when it expects no active version.</param>
    /// <param name="reason">Why, recorded on the version and logged.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The activated version's metadata, or <see langword="null"/> when another version was activated meanwhile (nothing changed).</returns>
    /// <remarks>
    /// The comparison and the activation run under this manager's lock, so they are atomic against every other change
    /// made through this manager; against another process they are as atomic as the store's activation.
    /// </remarks>
    /// <exception cref="ModelNotFoundException">No version has that id or alias.</exception>
    /// <exception cref="ModelStoreCorruptedException">The version's file is damaged; the active version is unchanged.</exception>
    public async Task<ModelMetadata?> TryActivateAsync(string versionOrAlias, string? expectedActive, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrAlias);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var active = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(active, expectedActive, StringComparison.Ordinal))
            {
                return null;
            }

            var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            return await ActivateCoreAsync(Resolve(versions, versionOrAlias), reason, rollback: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
