using PatternQuality.Storage;

namespace PatternQuality.Versioning.Internal;

/// <summary>
/// Metadata changes built on one <see cref="ModelStoreSnapshot"/> and handed to the store as one
/// <see cref="ModelStoreChange"/>: an activation, its alias moves and its bookkeeping are written together or not at all.
/// </summary>
internal sealed class VersionChangeSet(ModelStoreSnapshot snapshot)
{
    private readonly Dictionary<string, ModelMetadata> _updated = new(StringComparer.Ordinal);

    public ModelStoreSnapshot Snapshot => snapshot;

    public string? Activate { get; set; }

    /// <summary>Gets a version's metadata with the changes made so far.</summary>
    public ModelMetadata Get(string version) => _updated.TryGetValue(version, out var m) ? m : snapshot.Get(version);

    public void Set(ModelMetadata metadata) => _updated[metadata.Version] = metadata;

    /// <summary>Puts <paramref name="alias"/> on <paramref name="version"/> only.</summary>
    public ModelMetadata MoveAlias(string alias, string version)
    {
        RemoveAlias(alias, keep: version);
        var target = Get(version);
        if (!target.Aliases.Contains(alias, StringComparer.Ordinal))
        {
            target = target with { Aliases = [.. target.Aliases, alias] };
            Set(target);
        }

        return target;
    }

    /// <summary>Removes <paramref name="alias"/> from every version but <paramref name="keep"/>; returns whether one had it.</summary>
    public bool RemoveAlias(string alias, string? keep = null)
    {
        var removed = false;
        foreach (var v in snapshot.Versions)
        {
            var current = Get(v.Version);
            if (current.Version != keep && current.Aliases.Contains(alias, StringComparer.Ordinal))
            {
                Set(current with { Aliases = current.Aliases.Where(a => a != alias).ToArray() });
                removed = true;
            }
        }

        return removed;
    }

    public ModelStoreChange? ToChange() =>
        _updated.Count == 0 && Activate is null ? null : new ModelStoreChange { UpdatedVersions = _updated.Values.ToArray(), ActivateVersion = Activate };
}
