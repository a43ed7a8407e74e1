using PatternQuality.Telemetry;
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
            string? previous = null;
            var activated = await UpdateAsync(
                changes =>
                {
                    previous = changes.Snapshot.ActiveVersion;
                    return ApplyActivation(changes, Resolve(changes.Snapshot.Versions, versionOrAlias), reason, rollback: false);
                },
                cancellationToken).ConfigureAwait(false);
            if (previous != activated.Version)
            {
                Log.VersionActivated(_logger, activated.Version, previous, reason);
            }

            return activated;
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
    /// through the activation history rather than toggling between two versions. The activation and the note on the
    /// version rolled back from are one change of the store.
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
            string active = string.Empty;
            var activated = await UpdateAsync(
                changes =>
                {
                    var versions = changes.Snapshot.Versions;
                    active = changes.Snapshot.ActiveVersion ?? throw new InvalidOperationException("There is no active model version to roll back from.");
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

                    var updated = ApplyActivation(changes, target, reason, rollback: true);
                    var rolledBackFrom = changes.Get(active);
                    changes.Set(rolledBackFrom with { Properties = With(rolledBackFrom.Properties, (ModelPropertyNames.RolledBack, $"{Now()} {reason}")) });
                    return updated;
                },
                cancellationToken).ConfigureAwait(false);
            Log.VersionActivated(_logger, activated.Version, active, reason);
            Log.VersionRolledBack(_logger, active, activated.Version, reason);
            return activated;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies <paramref name="build"/> to the store's state in one critical section and one write; returns what it returned.</summary>
    private async Task<ModelMetadata> UpdateAsync(Func<VersionChangeSet, ModelMetadata> build, CancellationToken cancellationToken)
    {
        ModelMetadata? result = null;
        await _store.UpdateAsync(
            (snapshot, _) =>
            {
                var changes = new VersionChangeSet(snapshot);
                result = build(changes);
                return Task.FromResult(changes.ToChange());
            },
            cancellationToken).ConfigureAwait(false);
        return result ?? throw new InvalidOperationException($"The model store {_store.GetType().Name} did not run the update.");
    }

    /// <summary>
    /// Makes <paramref name="version"/> active within <paramref name="changes"/>: activation time and reason, the rollback
    /// target, the champion alias (taken from every other version) and the end of its challenger status, all in one change.
    /// </summary>
    private ModelMetadata ApplyActivation(VersionChangeSet changes, string version, string reason, bool rollback)
    {
        var previous = changes.Snapshot.ActiveVersion;
        if (previous == version)
        {
            return changes.Get(version);
        }

        var target = changes.Get(version);
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
        changes.RemoveAlias(ModelAliases.Champion, keep: version);
        var updated = target with { Properties = properties, Aliases = aliases };
        changes.Set(updated);

        // The store verifies the file before switching, so a damaged version never becomes active.
        changes.Activate = version;
        return updated;
    }
}
