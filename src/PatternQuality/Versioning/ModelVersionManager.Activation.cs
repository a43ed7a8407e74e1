using PatternQuality.Storage;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    /// <summary>Makes a version the active one (and the <see cref="ModelAliases.Champion"/>), remembering the previous one for rollback.</summary>
    /// <param name="versionOrAlias">The version id or an alias.</param>
    /// <param name="reason">Why, recorded on the version and logged.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The activated version's metadata.</returns>
    /// <exception cref="ModelNotFoundException">No version has that id or alias.</exception>
    /// <exception cref="ModelStoreCorruptedException">The version's file is damaged; the active version is unchanged.</exception>
    public async Task<ModelMetadata> ActivateAsync(string versionOrAlias, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrAlias);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            return await ActivateCoreAsync(Resolve(versions, versionOrAlias), reason, rollback: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rolls back: activates the version that was active before the current one, or a named version.</summary>
    /// <param name="to">The version id or alias to go back to; <see langword="null"/> for the one active before the current one.</param>
    /// <param name="reason">Why, recorded on both versions and logged.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The now active version's metadata.</returns>
    /// <remarks>
    /// A rollback does not rewrite the target's own rollback target, so rolling back repeatedly walks further back
    /// through the activation history rather than toggling between two versions.
    /// </remarks>
    /// <exception cref="InvalidOperationException">No version is active, or the active one has no previous version to go back to.</exception>
    /// <exception cref="ModelNotFoundException">The target does not exist (it may have been deleted).</exception>
    /// <exception cref="ModelStoreCorruptedException">The target's file is damaged; the active version is unchanged.</exception>
    public async Task<ModelMetadata> RollbackAsync(string? to = null, string reason = "rollback", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var active = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("There is no active model version to roll back from.");
            var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            string target;
            if (to is not null)
            {
                target = Resolve(versions, to);
            }
            else
            {
                var current = Find(versions, active);
                target = current.Properties.GetValueOrDefault(ModelPropertyNames.PreviousActive)
                    ?? throw new InvalidOperationException($"Model version '{active}' was the first one activated; there is no previous version to roll back to. Name a version instead.");
                _ = Find(versions, target);
            }

            if (target == active)
            {
                throw new InvalidOperationException($"Model version '{active}' is already active; nothing to roll back.");
            }

            var activated = await ActivateCoreAsync(target, reason, rollback: true, cancellationToken).ConfigureAwait(false);
            var rolledBackFrom = Find(await _store.ListAsync(cancellationToken).ConfigureAwait(false), active);
            await _store.UpdateMetadataAsync(
                rolledBackFrom with { Properties = With(rolledBackFrom.Properties, (ModelPropertyNames.RolledBack, $"{Now()} {reason}")) },
                cancellationToken).ConfigureAwait(false);
            VersioningLog.RolledBack(_logger, active, target, reason);
            return activated;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ModelMetadata> ActivateCoreAsync(string version, string reason, bool rollback, CancellationToken cancellationToken)
    {
        var previous = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        if (previous == version)
        {
            return Find(await _store.ListAsync(cancellationToken).ConfigureAwait(false), version);
        }

        // The store verifies the file before switching, so a damaged version never becomes active.
        await _store.SetActiveVersionAsync(version, cancellationToken).ConfigureAwait(false);

        var target = Find(await _store.ListAsync(cancellationToken).ConfigureAwait(false), version);
        var properties = With(
            target.Properties,
            (ModelPropertyNames.ActivatedAt, Now()),
            (ModelPropertyNames.ActivationReason, reason),
            (ModelPropertyNames.RolledBack, null));
        if (!rollback && previous is not null)
        {
            properties[ModelPropertyNames.PreviousActive] = previous;
        }

        // A version that becomes champion is no longer a challenger.
        var aliases = target.Aliases.Where(a => a != ModelAliases.Challenger).Append(ModelAliases.Champion).Distinct(StringComparer.Ordinal).ToArray();
        var updated = target with { Properties = properties, Aliases = aliases };
        await _store.UpdateMetadataAsync(updated, cancellationToken).ConfigureAwait(false);
        await RemoveAliasFromOthersAsync(ModelAliases.Champion, version, cancellationToken).ConfigureAwait(false);
        VersioningLog.VersionActivated(_logger, version, previous, reason);
        return updated;
    }
}
