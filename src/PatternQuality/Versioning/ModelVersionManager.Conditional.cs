using PatternQuality.Telemetry;
using PatternQuality.Storage;
using PatternQuality.Versioning.Internal;

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
    /// The comparison and the activation are one critical section of the store (<see cref="IModelStore.UpdateAsync"/>),
    /// so they are atomic against every other writer, in this process or another, and the activation is one write.
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
            ModelMetadata? activated = null;
            await _store.UpdateAsync(
                (snapshot, _) =>
                {
                    if (!string.Equals(snapshot.ActiveVersion, expectedActive, StringComparison.Ordinal))
                    {
                        return Task.FromResult<ModelStoreChange?>(null);
                    }

                    var changes = new VersionChangeSet(snapshot);
                    activated = ApplyActivation(changes, Resolve(snapshot.Versions, versionOrAlias), reason, rollback: false);
                    return Task.FromResult(changes.ToChange());
                },
                cancellationToken).ConfigureAwait(false);
            if (activated is not null && activated.Version != expectedActive)
            {
                Log.VersionActivated(_logger, activated.Version, expectedActive, reason);
            }

            return activated;
        }
        finally
        {
            _gate.Release();
        }
    }
}
