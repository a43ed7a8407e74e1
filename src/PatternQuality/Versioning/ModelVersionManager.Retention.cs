using PatternQuality.Storage;
using PatternQuality.Telemetry;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    /// <summary>
    /// Deletes old versions: keeps the newest <see cref="ModelVersioningOptions.RetainCount"/>, plus every pinned or
    /// aliased version, the active version and the version a rollback would return to.
    /// </summary>
    /// <param name="cancellationToken">Cancels the clean-up; versions already deleted stay deleted.</param>
    /// <returns>The deleted version ids, oldest first.</returns>
    public async Task<IReadOnlyList<string>> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ApplyRetentionCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<string>> ApplyRetentionCoreAsync(CancellationToken cancellationToken)
    {
        var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var active = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        var keep = new HashSet<string>(versions.Skip(Math.Max(0, versions.Count - _retainCount)).Select(v => v.Version), StringComparer.Ordinal);
        if (active is not null)
        {
            keep.Add(active);
            if (versions.FirstOrDefault(v => v.Version == active)?.Properties.GetValueOrDefault(ModelPropertyNames.PreviousActive) is { } rollbackTarget)
            {
                keep.Add(rollbackTarget);
            }
        }

        var deleted = new List<string>();
        foreach (var v in versions)
        {
            if (keep.Contains(v.Version) || v.Pinned || v.Aliases.Count > 0)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await _store.DeleteAsync(v.Version, cancellationToken).ConfigureAwait(false))
                {
                    deleted.Add(v.Version);
                }
            }
            catch (InvalidOperationException)
            {
                // Another process activated it since the listing: it is no longer ours to delete.
            }
        }

        if (deleted.Count > 0)
        {
            Log.VersionsDeleted(_logger, deleted.Count, string.Join(", ", deleted));
        }

        return deleted;
    }
}
