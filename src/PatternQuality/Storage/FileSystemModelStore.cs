using PatternQuality.Storage.Internal;

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
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the allowed range.</exception>
    /// <remarks>The constructor does no I/O: a missing or unusable directory is reported by the first operation.</remarks>
    public FileSystemModelStore(FileSystemModelStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
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
        CheckStorable(metadata);
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
                return path;
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
        CheckStorable(metadata);
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
                return Task.FromResult<string?>(null);
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
                return Task.FromResult<string?>(null);
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
                // Verify before switching: the active version must always be one that loads.
                _ = await ReadModelAsync(Find(manifest, version), cancellationToken).ConfigureAwait(false);
                manifest.Activations.Add(new ManifestActivation { Version = version, Previous = manifest.Active, At = _timeProvider.GetUtcNow() });
                if (manifest.Activations.Count > StoreManifest.MaxActivations)
                {
                    manifest.Activations.RemoveRange(0, manifest.Activations.Count - StoreManifest.MaxActivations);
                }

                manifest.Active = version;
                return null;
            },
            cancellationToken);
    }

    /// <summary>Gets the activation history, oldest first: which version became active, when, and which was active before.</summary>
    internal async Task<IReadOnlyList<(string Version, string? Previous, DateTimeOffset At)>> GetActivationHistoryAsync(CancellationToken cancellationToken = default)
    {
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        return manifest.Activations.Select(a => (a.Version, a.Previous, a.At)).ToArray();
    }

    // The manifest reader rejects these as corruption, so they must never be written.
    private static void CheckStorable(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Properties is null || metadata.Metrics is null || metadata.Aliases is null)
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has null Properties, Metrics or Aliases.", nameof(metadata));
        }

        if (metadata.Properties.FirstOrDefault(p => p.Value is null) is { Key: { } key })
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has property '{key}' with a null value.", nameof(metadata));
        }

        if (metadata.Aliases.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has an empty alias.", nameof(metadata));
        }
    }

    private static byte[] ModelEnvelope(ReadOnlySpan<byte> content, out string sha) => ModelFileEnvelope.Wrap(content, out sha);

    private static ManifestEntry Find(StoreManifest manifest, string version) =>
        manifest.Versions.Find(e => e.Version == version) ?? throw new ModelNotFoundException(version, manifest.Versions.Select(e => e.Version));

    private string ModelPath(string version) => Path.Combine(_modelsPath, version + StoreManifestSerializer.ModelExtension);

    private Action? Fault(StoreFaultPoint point) => FaultInjector is { } f ? () => f(point) : null;

    private async Task<StoredModel> ReadModelAsync(ManifestEntry entry, CancellationToken cancellationToken)
    {
        var path = ModelPath(entry.Version);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            // Deleted by another writer since this reader's manifest was read? Then the version is gone, not damaged.
            var now = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
            if (!now.Versions.Exists(e => e.Version == entry.Version))
            {
                throw new ModelNotFoundException(entry.Version, now.Versions.Select(e => e.Version));
            }

            throw new ModelStoreCorruptedException(path, $"the manifest lists version '{entry.Version}' but its model file is missing.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelStoreAccessException(Directory, $"The model file '{path}' in the store '{Directory}' cannot be read: access denied.", ex);
        }

        var content = ModelFileEnvelope.Unwrap(bytes, path, entry.Sha256);
        return new StoredModel(entry.ToMetadata(), content);
    }

    private async Task<StoreManifest> ReadManifestAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!System.IO.Directory.Exists(Directory))
        {
            ThrowIfUnusableMissingDirectory();
            return new StoreManifest();
        }

        byte[] bytes;
        try
        {
            // The manifest is only ever replaced by rename, so a plain read sees one whole version of it.
            bytes = await File.ReadAllBytesAsync(_manifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new StoreManifest();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelStoreAccessException(Directory, $"The manifest '{_manifestPath}' of the model store cannot be read: access denied.", ex);
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
    /// <param name="change">Changes the freshly read manifest; returns the path of a model file it wrote, if any, to remove should the manifest write fail.</param>
    /// <param name="cancellationToken">Cancels the write before the manifest is replaced.</param>
    private async Task WriteAsync(Func<StoreManifest, Task<string?>> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureDirectory();
        using var gate = await StoreFileLock.AcquireAsync(Directory, _lockPath, _lockTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);

        // Re-read inside the lock: another process may have changed the manifest since this one last looked.
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        var manifestExisted = manifest.LoadedFromDisk;
        string? written = null;
        try
        {
            written = await change(manifest).ConfigureAwait(false);
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

        RemoveOrphans(manifest, manifestExisted);
    }

    private static void RemoveUnlisted(string? path)
    {
        if (path is not null)
        {
            AtomicFile.TryDelete(path);
        }
    }

    /// <summary>Removes files no listed version owns: leftovers of crashed saves and of deletions.</summary>
    /// <remarks>
    /// Safe only under the lock: every writer holds it, so no temporary file here belongs to a live save. Model files
    /// are only removed when the manifest existed before this write: should someone delete <c>manifest.json</c>,
    /// the model files stay for a person to recover.
    /// </remarks>
    private void RemoveOrphans(StoreManifest manifest, bool manifestExisted)
    {
        try
        {
            foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, "*" + AtomicFile.TempSuffix))
            {
                AtomicFile.TryDelete(temp);
            }

            if (!manifestExisted || !System.IO.Directory.Exists(_modelsPath))
            {
                return;
            }

            var listed = new HashSet<string>(manifest.Versions.Select(e => e.Version + StoreManifestSerializer.ModelExtension), StringComparer.Ordinal);
            foreach (var file in System.IO.Directory.EnumerateFiles(_modelsPath))
            {
                var name = Path.GetFileName(file);
                if (name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)
                    || (name.EndsWith(StoreManifestSerializer.ModelExtension, StringComparison.Ordinal) && !listed.Contains(name)))
                {
                    AtomicFile.TryDelete(file);
                }
            }
        }
        catch (IOException)
        {
            // Clean-up is best effort; the next write tries again.
        }
    }
}
