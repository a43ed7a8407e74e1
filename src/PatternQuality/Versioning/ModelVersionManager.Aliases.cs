using PatternQuality.Storage;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    /// <summary>Points an alias at a version, moving it from any version that had it: an alias names exactly one version.</summary>
    /// <param name="alias">The alias: letters, digits, '.', '-' and '_'. <see cref="ModelAliases.Champion"/> is reserved (use <see cref="ActivateAsync"/>).</param>
    /// <param name="versionOrAlias">The version id, or another alias to copy.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The version's updated metadata.</returns>
    /// <exception cref="ArgumentException">The alias is invalid or is <see cref="ModelAliases.Champion"/>.</exception>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    public async Task<ModelMetadata> SetAliasAsync(string alias, string versionOrAlias, CancellationToken cancellationToken = default)
    {
        ValidateAlias(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrAlias);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await UpdateAsync(c => c.MoveAlias(alias, Resolve(c.Snapshot.Versions, versionOrAlias)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes an alias from whichever version has it.</summary>
    /// <param name="alias">The alias. <see cref="ModelAliases.Champion"/> is reserved.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns><see langword="true"/> if a version had the alias.</returns>
    /// <exception cref="ArgumentException">The alias is invalid or is <see cref="ModelAliases.Champion"/>.</exception>
    public async Task<bool> RemoveAliasAsync(string alias, CancellationToken cancellationToken = default)
    {
        ValidateAlias(alias);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removed = false;
            await _store.UpdateAsync(
                (snapshot, _) =>
                {
                    var changes = new VersionChangeSet(snapshot);
                    removed = changes.RemoveAlias(alias);
                    return Task.FromResult(changes.ToChange());
                },
                cancellationToken).ConfigureAwait(false);
            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Pins or unpins a version: retention never deletes a pinned version.</summary>
    /// <param name="versionOrAlias">The version id or an alias.</param>
    /// <param name="pinned"><see langword="true"/> to pin, <see langword="false"/> to unpin.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The version's updated metadata.</returns>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    public async Task<ModelMetadata> PinAsync(string versionOrAlias, bool pinned = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrAlias);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await UpdateAsync(
                c =>
                {
                    var updated = c.Get(Resolve(c.Snapshot.Versions, versionOrAlias)) with { Pinned = pinned };
                    c.Set(updated);
                    return updated;
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void ValidateAlias(string alias)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        if (alias.Length > 64 || !alias.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArgumentException($"'{alias}' is not a valid alias: use up to 64 letters, digits, '.', '-' and '_'.", nameof(alias));
        }

        if (alias == ModelAliases.Champion)
        {
            throw new ArgumentException($"The alias '{ModelAliases.Champion}' always names the active version; use {nameof(ActivateAsync)} or {nameof(RollbackAsync)} to move it.", nameof(alias));
        }
    }
}
