using PatternQuality.Storage;

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
            return await SetAliasCoreAsync(alias, versionOrAlias, cancellationToken).ConfigureAwait(false);
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
            return await RemoveAliasFromOthersAsync(alias, null, cancellationToken).ConfigureAwait(false);
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
            var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            var updated = Find(versions, Resolve(versions, versionOrAlias)) with { Pinned = pinned };
            await _store.UpdateMetadataAsync(updated, cancellationToken).ConfigureAwait(false);
            return updated;
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

    private async Task<ModelMetadata> SetAliasCoreAsync(string alias, string versionOrAlias, CancellationToken cancellationToken)
    {
        var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var target = Find(versions, Resolve(versions, versionOrAlias));

        // Add first, then remove elsewhere: an interruption leaves the alias on two versions (resolved to the newest),
        // never on none.
        var updated = target with { Aliases = target.Aliases.Append(alias).Distinct(StringComparer.Ordinal).ToArray() };
        await _store.UpdateMetadataAsync(updated, cancellationToken).ConfigureAwait(false);
        await RemoveAliasFromOthersAsync(alias, target.Version, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    private async Task<bool> RemoveAliasFromOthersAsync(string alias, string? keep, CancellationToken cancellationToken)
    {
        var removed = false;
        foreach (var v in await _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (v.Version != keep && v.Aliases.Contains(alias, StringComparer.Ordinal))
            {
                await _store.UpdateMetadataAsync(v with { Aliases = v.Aliases.Where(a => a != alias).ToArray() }, cancellationToken).ConfigureAwait(false);
                removed = true;
            }
        }

        return removed;
    }
}
