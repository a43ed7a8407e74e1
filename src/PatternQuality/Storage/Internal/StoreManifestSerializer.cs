using System.Text.Json;

namespace PatternQuality.Storage.Internal;

/// <summary>Reads, checks and writes <c>manifest.json</c>.</summary>
internal static class StoreManifestSerializer
{
    internal const string ModelsFolder = "models";
    internal const string ModelExtension = ".pqm";

    internal static string RelativeModelPath(string version) => ModelsFolder + "/" + version + ModelExtension;

    internal static byte[] Serialize(StoreManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(manifest, StoreManifestJsonContext.Default.StoreManifest);

    /// <summary>Parses and checks a manifest.</summary>
    /// <exception cref="ModelStoreCorruptedException">The bytes are not a manifest this library can read; the message says why.</exception>
    internal static StoreManifest Deserialize(byte[] bytes, string path)
    {
        StoreManifest? manifest;
        ReadOnlySpan<byte> json = bytes;

        // Editors on Windows save UTF-8 with a byte order mark; it is not JSON, but it is not damage either.
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        try
        {
            manifest = JsonSerializer.Deserialize(json, StoreManifestJsonContext.Default.StoreManifest);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}" : string.Empty;
            throw new ModelStoreCorruptedException(path, $"it is not a valid manifest{where}: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new ModelStoreCorruptedException(path, "it holds JSON null instead of a manifest object.");
        }

        Validate(manifest, path);
        manifest.LoadedFromDisk = true;
        return manifest;
    }

    private static bool IsValidVersion(string? version)
    {
        try
        {
            ModelMetadata.ValidateVersion(version!);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Validate(StoreManifest manifest, string path)
    {
        if (manifest.SchemaVersion is < 1 or > StoreManifest.CurrentSchemaVersion)
        {
            throw new ModelStoreCorruptedException(path, $"schemaVersion is {manifest.SchemaVersion}; this library reads schema 1 to {StoreManifest.CurrentSchemaVersion}.");
        }

        if (manifest.Versions is null)
        {
            throw new ModelStoreCorruptedException(path, "the 'versions' array is missing or null.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Versions.Count; i++)
        {
            var e = manifest.Versions[i] ?? throw new ModelStoreCorruptedException(path, $"versions[{i}] is null.");
            try
            {
                ModelMetadata.ValidateVersion(e.Version);
            }
            catch (ArgumentException ex)
            {
                throw new ModelStoreCorruptedException(path, $"versions[{i}].version '{e.Version}' is not a valid version identifier.", ex);
            }

            if (!seen.Add(e.Version))
            {
                throw new ModelStoreCorruptedException(path, $"version '{e.Version}' is listed more than once (versions[{i}]).");
            }

            // The file name is derived, never trusted: a hand edit must not point the store outside its folder.
            if (!string.Equals(e.File, RelativeModelPath(e.Version), StringComparison.Ordinal))
            {
                throw new ModelStoreCorruptedException(path, $"versions[{i}].file is '{e.File}'; it must be '{RelativeModelPath(e.Version)}'.");
            }

            if (e.Sha256 is null || e.Sha256.Length != 64 || !e.Sha256.All(char.IsAsciiHexDigit))
            {
                throw new ModelStoreCorruptedException(path, $"versions[{i}].sha256 of '{e.Version}' is not 64 hexadecimal digits.");
            }

            if (e.Length < 0)
            {
                throw new ModelStoreCorruptedException(path, $"versions[{i}].length of '{e.Version}' is negative ({e.Length}).");
            }

            if (e.Properties?.Any(p => p.Value is null) == true || e.Aliases?.Any(a => string.IsNullOrWhiteSpace(a)) == true)
            {
                throw new ModelStoreCorruptedException(path, $"versions[{i}] ('{e.Version}') has a null property value or an empty alias.");
            }
        }

        if (manifest.Active is not null && !seen.Contains(manifest.Active))
        {
            throw new ModelStoreCorruptedException(path, $"the active version '{manifest.Active}' is not among the listed versions.");
        }

        manifest.Activations ??= [];
        if (manifest.Activations.Any(a => a is null || a.Version is null))
        {
            throw new ModelStoreCorruptedException(path, "the 'activations' array has an entry without a version.");
        }

        // Deletions name files clean-up may delete: a hand edit must not name anything outside models/.
        foreach (var d in manifest.Deletions ?? [])
        {
            if (d is null || !IsValidVersion(d.Version))
            {
                throw new ModelStoreCorruptedException(path, $"the 'deletions' array has an entry without a valid version ('{d?.Version}').");
            }
        }
    }
}
