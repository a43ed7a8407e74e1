using PatternQuality.Internal;
using PatternQuality.Storage.Internal;
using PatternQuality.Storage.Shared;

namespace PatternQuality.Storage;

/// <summary>
/// The default <see cref="IModelStore"/>: one file per version plus a manifest in a directory, safe for several
/// processes sharing that directory.
/// </summary>
/// <remarks>
/// <para>
/// Layout: <c>manifest.json</c> (every version with its metadata and checksum, the active version and the activation
/// history), <c>models/&lt;version&gt;.pqm</c> (the model's bytes in a small envelope that carries their SHA-256) and
/// <c>.lock</c>. Every file is replaced atomically (temporary file, flush to disk, rename), every change to the
/// manifest happens under the cross-process lock on <c>.lock</c> and re-reads the manifest inside it, and a save
/// writes the model file before the manifest. A crash therefore leaves the previous state intact and loadable, at
/// worst with an unlisted file that readers ignore and the next write removes.
/// </para>
/// <para>Every load verifies the checksum; a damaged file raises <see cref="ModelStoreCorruptedException"/> naming it.</para>
/// <para>
/// The lock is the operating system's file lock that .NET takes for <see cref="FileShare.None"/>; do not set
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>, and do not share a store directory over a network file system that does
/// not honour such locks across machines.
/// </para>
/// </remarks>
public sealed class FileSystemModelStore : IModelStore
{
    private const string ManifestFileName = "manifest.json";
    private const string LockFileName = ".lock";
    private const string QuarantineFolder = "quarantine";

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lockTimeout;
    private readonly bool _createDirectory;
    private readonly string _manifestPath;
    private readonly string _lockPath;
    private readonly string _modelsPath;

    /// <summary>Initializes a new instance of the <see cref="FileSystemModelStore"/> class.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock for activation times and lock back-off; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every such option is named with its allowed range.</exception>
    /// <remarks>The constructor does no I/O: a missing or unusable directory is reported by the first operation.</remarks>
    public FileSystemModelStore(FileSystemModelStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, new FileSystemModelStoreOptionsValidator());
        _timeProvider = timeProvider ?? TimeProvider.System;
        _lockTimeout = options.LockTimeout;
        _createDirectory = options.CreateDirectoryIfMissing;
        Directory = Path.GetFullPath(options.Directory);
        _manifestPath = Path.Combine(Directory, ManifestFileName);
        _lockPath = Path.Combine(Directory, LockFileName);
        _modelsPath = Path.Combine(Directory, StoreManifestSerializer.ModelsFolder);
    }

    /// <summary>Gets the full path of the store's directory.</summary>
    public string Directory { get; }

    /// <summary>Gets or sets a hook called at points in a save where tests simulate a crash.</summary>
    internal Action<StoreFaultPoint>? FaultInjector { get; set; }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The directory is missing, read-only, or its lock was held too long.</exception>
    /// <exception cref="ArgumentException">The metadata has a null property value or an empty alias, which the manifest cannot hold.</exception>
    public async Task SaveAsync(ModelMetadata metadata, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        MetadataRow.CheckStorable(metadata);
        await WriteAsync(
            async manifest =>
            {
                if (manifest.Versions.Any(e => e.Version == metadata.Version))
                {
                    throw new InvalidOperationException($"Model version '{metadata.Version}' already exists in the store '{Directory}'.");
                }

                var file = ModelEnvelope(content.Span, out var sha);
                var path = ModelPath(metadata.Version);
                System.IO.Directory.CreateDirectory(_modelsPath);
                await AtomicFile.WriteAsync(path, file, Fault(StoreFaultPoint.BeforeModelRename), cancellationToken).ConfigureAwait(false);
                FaultInjector?.Invoke(StoreFaultPoint.AfterModelFile);
                manifest.Versions.Add(ManifestEntry.From(metadata, StoreManifestSerializer.RelativeModelPath(metadata.Version), content.Length, sha));
                return new ManifestEdit(true, path);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The model file is missing, truncated or altered, or the manifest is invalid; the message names the file.</exception>
    public async Task<StoredModel> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        var entry = Find(manifest, version);
        return await ReadModelAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The manifest is invalid; the message names it and what is wrong.</exception>
    public async Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default)
    {
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        return manifest.Versions.Select(e => e.ToMetadata()).ToArray();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The metadata has a null property value or an empty alias, which the manifest cannot hold.</exception>
    public Task UpdateMetadataAsync(ModelMetadata metadata, CancellationToken cancellationToken = default)
    {
        MetadataRow.CheckStorable(metadata);
        return WriteAsync(
            manifest =>
            {
                var index = manifest.Versions.FindIndex(e => e.Version == metadata.Version);
                if (index < 0)
                {
                    throw new ModelNotFoundException(metadata.Version, manifest.Versions.Select(e => e.Version));
                }

                var old = manifest.Versions[index];
                manifest.Versions[index] = ManifestEntry.From(metadata, old.File, old.Length, old.Sha256);
                return Task.FromResult(ManifestEdit.Changed);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var deleted = false;
        await WriteAsync(
            manifest =>
            {
                if (manifest.Active == version)
                {
                    throw new InvalidOperationException($"Model version '{version}' is active and cannot be deleted; activate another version first.");
                }

                // The file goes with the next orphan clean-up, after the manifest no longer lists it: a crash in
                // between leaves an unlisted file, never a listed version without its file.
                deleted = manifest.Versions.RemoveAll(e => e.Version == version) > 0;
                if (deleted)
                {
                    manifest.RecordDeletion(version, _timeProvider.GetUtcNow());
                }

                return Task.FromResult(deleted ? ManifestEdit.Changed : ManifestEdit.Unchanged);
            },
            cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public async Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default)
    {
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        return manifest.Active;
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The version's file does not verify; the active version is left unchanged.</exception>
    public Task SetActiveVersionAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(
            async manifest =>
            {
                await ActivateInAsync(manifest, version, cancellationToken).ConfigureAwait(false);
                return ManifestEdit.Changed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The store's file lock is held from the read to the write, and the whole change (every metadata update and the
    /// activation) is one replacement of <c>manifest.json</c>: a crash at any point leaves the old manifest or the new one.
    /// </remarks>
    /// <exception cref="ModelStoreCorruptedException">The version to activate does not verify, or the manifest is invalid; nothing is changed.</exception>
    /// <exception cref="ModelStoreAccessException">The lock was not free within <see cref="FileSystemModelStoreOptions.LockTimeout"/>, or the directory is not writable.</exception>
    public Task UpdateAsync(Func<ModelStoreSnapshot, CancellationToken, Task<ModelStoreChange?>> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return WriteAsync(
            async manifest =>
            {
                var snapshot = new ModelStoreSnapshot(manifest.Versions.Select(e => e.ToMetadata()).ToArray(), manifest.Active);
                var change = await update(snapshot, cancellationToken).ConfigureAwait(false);
                if (change is null || (change.UpdatedVersions.Count == 0 && change.ActivateVersion is null))
                {
                    return ManifestEdit.Unchanged;
                }

                foreach (var metadata in change.UpdatedVersions)
                {
                    MetadataRow.CheckStorable(metadata);
                    var index = manifest.Versions.FindIndex(e => e.Version == metadata.Version);
                    if (index < 0)
                    {
                        throw new ModelNotFoundException(metadata.Version, manifest.Versions.Select(e => e.Version));
                    }

                    var old = manifest.Versions[index];
                    manifest.Versions[index] = ManifestEntry.From(metadata, old.File, old.Length, old.Sha256);
                }

                if (change.ActivateVersion is { } activate && activate != manifest.Active)
                {
                    await ActivateInAsync(manifest, activate, cancellationToken).ConfigureAwait(false);
                }

                FaultInjector?.Invoke(StoreFaultPoint.BeforeUpdateWrite);
                return ManifestEdit.Changed;
            },
            cancellationToken);
    }

    private async Task ActivateInAsync(StoreManifest manifest, string version, CancellationToken cancellationToken)
    {
        // Verify before switching: the active version must always be one that loads.
        _ = await ReadModelAsync(Find(manifest, version), cancellationToken).ConfigureAwait(false);
        manifest.Activations.Add(new ManifestActivation { Version = version, Previous = manifest.Active, At = _timeProvider.GetUtcNow() });
        if (manifest.Activations.Count > StoreManifest.MaxActivations)
        {
            manifest.Activations.RemoveRange(0, manifest.Activations.Count - StoreManifest.MaxActivations);
        }

        manifest.Active = version;
    }

    /// <summary>Gets the activation history, oldest first: which version became active, when, and which was active before.</summary>
    internal async Task<IReadOnlyList<(string Version, string? Previous, DateTimeOffset At)>> GetActivationHistoryAsync(CancellationToken cancellationToken = default)
    {
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        return manifest.Activations.Select(a => (a.Version, a.Previous, a.At)).ToArray();
    }

    private static byte[] ModelEnvelope(ReadOnlySpan<byte> content, out string sha) => ModelFileEnvelope.Wrap(content, out sha);

    private static ManifestEntry Find(StoreManifest manifest, string version) =>
        manifest.Versions.Find(e => e.Version == version) ?? throw new ModelNotFoundException(version, manifest.Versions.Select(e => e.Version));

    private string ModelPath(string version) => Path.Combine(_modelsPath, version + StoreManifestSerializer.ModelExtension);

    private Action? Fault(StoreFaultPoint point) => FaultInjector is { } f ? () => f(point) : null;

    private async Task<StoredModel> ReadModelAsync(ManifestEntry entry, CancellationToken cancellationToken)
    {
        var path = ModelPath(entry.Version);
        byte[]? bytes;
        try
        {
            // The manifest says how long the content is; a file longer than that plus the header is not this version.
            bytes = await StoreFiles.ReadAsync(path, ModelFileEnvelope.HeaderLength + entry.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelStoreAccessException(Directory, $"The model file '{path}' in the store '{Directory}' cannot be read: access denied.", ex);
        }

        if (bytes is null)
        {
            // Deleted by another writer since this reader's manifest was read? Then the version is gone, not damaged.
            var now = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
            if (!now.Versions.Exists(e => e.Version == entry.Version))
            {
                throw new ModelNotFoundException(entry.Version, now.Versions.Select(e => e.Version));
            }

            throw new ModelStoreCorruptedException(path, $"the manifest lists version '{entry.Version}' but its model file is missing.");
        }

        var content = ModelFileEnvelope.Unwrap(bytes, path, entry.Sha256);
        return new StoredModel(entry.ToMetadata(), content) { Location = path };
    }

    private async Task<StoreManifest> ReadManifestAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!System.IO.Directory.Exists(Directory))
        {
            ThrowIfUnusableMissingDirectory();
            return new StoreManifest();
        }

        byte[]? bytes;
        try
        {
            // The manifest is only ever replaced by rename, so a plain read sees one whole version of it.
            bytes = await StoreFiles.ReadAsync(_manifestPath, StoreFiles.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelStoreAccessException(Directory, $"The manifest '{_manifestPath}' of the model store cannot be read: access denied.", ex);
        }

        if (bytes is null)
        {
            // A store this library created always has a manifest before its first model file (see WriteAsync), so model
            // files without one mean the manifest was deleted or lost: that is damage to report, not an empty store.
            if (System.IO.Directory.Exists(_modelsPath) && System.IO.Directory.EnumerateFiles(_modelsPath, "*" + StoreManifestSerializer.ModelExtension).Any())
            {
                throw new ModelStoreCorruptedException(_manifestPath, $"it is missing, but '{_modelsPath}' holds model files; restore the manifest from a backup (or move the models folder away to start an empty store).");
            }

            return new StoreManifest();
        }

        return StoreManifestSerializer.Deserialize(bytes, _manifestPath);
    }

    private void ThrowIfUnusableMissingDirectory()
    {
        if (File.Exists(Directory))
        {
            throw new ModelStoreAccessException(Directory, $"The model store directory '{Directory}' is a file, not a directory.");
        }

        if (!_createDirectory)
        {
            throw new ModelStoreAccessException(Directory, $"The model store directory '{Directory}' does not exist and {nameof(FileSystemModelStoreOptions)}.{nameof(FileSystemModelStoreOptions.CreateDirectoryIfMissing)} is false.");
        }

        var parent = Path.GetDirectoryName(Directory);
        if (parent is not null && !System.IO.Directory.Exists(parent))
        {
            throw new ModelStoreAccessException(Directory, $"The model store directory '{Directory}' does not exist, and neither does its parent '{parent}'; only a missing last folder is created. Check the path.");
        }
    }

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            return;
        }

        ThrowIfUnusableMissingDirectory();
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelStoreAccessException(Directory, $"The model store directory '{Directory}' does not exist and cannot be created: {ex.Message}", ex);
        }
    }

    /// <summary>Runs a read-modify-write of the manifest under the lock.</summary>
    /// <param name="change">Changes the freshly read manifest; says whether to write it, and the path of a model file it wrote, if any, to remove should the manifest write fail.</param>
    /// <param name="cancellationToken">Cancels the write before the manifest is replaced.</param>
    private async Task WriteAsync(Func<StoreManifest, Task<ManifestEdit>> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureDirectory();
        using var gate = await StoreFileLock.AcquireAsync(Directory, _lockPath, _lockTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);

        // Re-read inside the lock: another process may have changed the manifest since this one last looked.
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        if (!manifest.LoadedFromDisk)
        {
            // A new store gets its (empty) manifest before any model file, so that model files without a manifest can
            // only mean a lost manifest, never a first save that crashed.
            await AtomicFile.WriteAsync(_manifestPath, StoreManifestSerializer.Serialize(manifest), null, cancellationToken).ConfigureAwait(false);
        }

        string? written = null;
        try
        {
            var edit = await change(manifest).ConfigureAwait(false);
            written = edit.WrittenFile;
            if (!edit.Write)
            {
                return;
            }

            await AtomicFile.WriteAsync(_manifestPath, StoreManifestSerializer.Serialize(manifest), Fault(StoreFaultPoint.BeforeManifestRename), cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            RemoveUnlisted(written);
            throw new ModelStoreAccessException(Directory, $"The model store directory '{Directory}' is not writable: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not SimulatedCrashException)
        {
            RemoveUnlisted(written);
            throw;
        }

        RemoveOrphans(manifest);
    }

    /// <summary>What a manifest change did: whether the manifest must be written, and the model file it wrote, if any.</summary>
    private readonly record struct ManifestEdit(bool Write, string? WrittenFile)
    {
        public static ManifestEdit Changed => new(true, null);

        public static ManifestEdit Unchanged => new(false, null);
    }

    private static void RemoveUnlisted(string? path)
    {
        if (path is not null)
        {
            AtomicFile.TryDelete(path);
        }
    }

    /// <summary>Removes what this store left behind, and moves aside what it cannot account for.</summary>
    /// <remarks>
    /// Runs under the lock, so no save is in flight. Deleted: temporary files named the way <see cref="AtomicFile"/>
    /// names them, and model files of versions the manifest records as deleted (only when the file is not newer than
    /// that record, so a file saved again under the same id later is kept). Every other unlisted model file (a save
    /// that crashed before its manifest write, a manifest restored from a backup or edited by hand) is moved to
    /// <c>quarantine/</c>, never deleted: the store cannot tell whether it is garbage or someone's only copy.
    /// </remarks>
    private void RemoveOrphans(StoreManifest manifest)
    {
        try
        {
            foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, "*" + AtomicFile.TempSuffix))
            {
                if (AtomicFile.IsOwnTempFile(temp))
                {
                    AtomicFile.TryDelete(temp);
                }
            }

            if (!System.IO.Directory.Exists(_modelsPath))
            {
                return;
            }

            var listed = new HashSet<string>(manifest.Versions.Select(e => e.Version + StoreManifestSerializer.ModelExtension), StringComparer.Ordinal);
            var deleted = (manifest.Deletions ?? []).ToDictionary(d => d.Version + StoreManifestSerializer.ModelExtension, d => d.At, StringComparer.Ordinal);
            foreach (var file in System.IO.Directory.EnumerateFiles(_modelsPath))
            {
                var name = Path.GetFileName(file);
                if (name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal))
                {
                    if (AtomicFile.IsOwnTempFile(file))
                    {
                        AtomicFile.TryDelete(file);
                    }
                }
                else if (name.EndsWith(StoreManifestSerializer.ModelExtension, StringComparison.Ordinal) && !listed.Contains(name))
                {
                    if (deleted.TryGetValue(name, out var at) && File.GetLastWriteTimeUtc(file) <= at.UtcDateTime)
                    {
                        AtomicFile.TryDelete(file);
                    }
                    else
                    {
                        Quarantine(file, name);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Clean-up is best effort; the next write tries again.
        }
    }

    private void Quarantine(string file, string name)
    {
        var folder = Path.Combine(Directory, QuarantineFolder);
        System.IO.Directory.CreateDirectory(folder);
        var stamp = _timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        File.Move(file, Path.Combine(folder, name + "." + stamp), overwrite: false);
    }
}
