using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatternQuality.Internal;
using PatternQuality.Storage;
using PatternQuality.Telemetry;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

/// <summary>
/// Keeps the history of a model (seed story 001): saves versions with their lineage and evidence, activates them,
/// rolls back, maintains the <see cref="ModelAliases.Champion"/> and <see cref="ModelAliases.Challenger"/> aliases,
/// applies retention and runs the quality gate on candidates.
/// </summary>
/// <remarks>
/// <para>
/// All state lives in the <see cref="IModelStore"/>, so a restarted process (or a second one) sees the same history.
/// Operations from one manager are serialized. Across processes, every change that touches the active version or an
/// alias (activation, promotion, rollback, alias moves, pins) is read, decided and written in one critical section of
/// the store (<see cref="IModelStore.UpdateAsync"/>; for <see cref="FileSystemModelStore"/> one manifest write under its
/// file lock), so several processes may write one store: a crash or a race leaves the old state or the new one.
/// </para>
/// <para>
/// <see cref="ProposeAsync"/> is the one publishing path for trained models: it stores the candidate, runs the
/// quality gate against the champion that is active at decision time, and records what happened.
/// </para>
/// <para>The <see cref="ModelAliases.Champion"/> alias always follows the active version.</para>
/// </remarks>
public sealed partial class ModelVersionManager : IDisposable
{
    private const int MaxIdAttempts = 20;
    private static readonly string _libraryVersion = ReadLibraryVersion();

    private readonly IModelStore _store;
    private readonly IPromotionPolicy _policy;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly PatternQualityMetrics _metrics;
    private readonly int _retainCount;
    private readonly bool _applyRetentionOnSave;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Initializes a new instance of the <see cref="ModelVersionManager"/> class.</summary>
    /// <param name="store">Where versions are kept.</param>
    /// <param name="options">The options, validated here; <see langword="null"/> for the defaults.</param>
    /// <param name="policy">The quality gate; <see langword="null"/> for a <see cref="DefaultPromotionPolicy"/> with default options.</param>
    /// <param name="timeProvider">The clock for creation and activation times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter (gate decisions); the shared static meter when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; the message names it and the allowed range.</exception>
    public ModelVersionManager(
        IModelStore store,
        ModelVersioningOptions? options = null,
        IPromotionPolicy? policy = null,
        TimeProvider? timeProvider = null,
        ILogger<ModelVersionManager>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ModelVersioningOptions();
        OptionsValidation.ThrowIfInvalid(options, new ModelVersioningOptionsValidator());
        _store = store;
        _retainCount = options.RetainCount;
        _applyRetentionOnSave = options.ApplyRetentionOnSave;
        _policy = policy ?? new DefaultPromotionPolicy();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = PatternQualityMetrics.Create(meterFactory);
    }

    /// <summary>Saves a new version and returns its metadata; the active version does not change.</summary>
    /// <param name="content">The serialized model.</param>
    /// <param name="request">What the caller knows about the model.</param>
    /// <param name="cancellationToken">Cancels the save; a cancelled save leaves no trace.</param>
    /// <returns>The stored metadata, with its generated version id (for example <c>v0001-20261123T190512Z</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<ModelMetadata> SaveAsync(ReadOnlyMemory<byte> content, ModelSaveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var saved = await SaveCoreAsync(content, request, cancellationToken).ConfigureAwait(false);
            await RetainIfConfiguredAsync(cancellationToken).ConfigureAwait(false);
            return saved;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Lists every version, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The versions' metadata.</returns>
    public Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>Loads a version by id or by alias (an id wins over an alias of the same name).</summary>
    /// <param name="versionOrAlias">A version id, or an alias such as <see cref="ModelAliases.Champion"/>.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The model's bytes and metadata.</returns>
    /// <exception cref="ModelNotFoundException">No version has that id or alias.</exception>
    /// <exception cref="ModelStoreCorruptedException">The version's file is damaged; nothing is changed.</exception>
    public async Task<StoredModel> LoadAsync(string versionOrAlias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrAlias);
        var version = await ResolveAsync(versionOrAlias, cancellationToken).ConfigureAwait(false);
        return await _store.LoadAsync(version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads the active version, or returns <see langword="null"/> when none has been activated.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The active model, or <see langword="null"/>.</returns>
    /// <exception cref="ModelStoreCorruptedException">The active version's file is damaged; it stays active (roll back to move away from it).</exception>
    public async Task<StoredModel?> LoadActiveAsync(CancellationToken cancellationToken = default)
    {
        var active = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        return active is null ? null : await _store.LoadAsync(active, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the active version id, or <see langword="null"/> when none has been activated.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The active version id.</returns>
    public Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default) => _store.GetActiveVersionAsync(cancellationToken);

    /// <summary>Resolves a version id or an alias to a version id.</summary>
    /// <param name="versionOrAlias">A version id or an alias.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The version id.</returns>
    /// <exception cref="ModelNotFoundException">No version has that id or alias.</exception>
    public async Task<string> ResolveAsync(string versionOrAlias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrAlias);
        var versions = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        return Resolve(versions, versionOrAlias);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static string Resolve(IReadOnlyList<ModelMetadata> versions, string versionOrAlias)
    {
        if (versions.Any(v => v.Version == versionOrAlias))
        {
            return versionOrAlias;
        }

        // Newest wins should an interrupted alias move have left the alias on two versions.
        return versions.LastOrDefault(v => v.Aliases.Contains(versionOrAlias, StringComparer.Ordinal))?.Version
            ?? throw new ModelNotFoundException(versionOrAlias, versions.Select(v => v.Version));
    }

    private static ModelMetadata Find(IReadOnlyList<ModelMetadata> versions, string version) =>
        versions.FirstOrDefault(v => v.Version == version) ?? throw new ModelNotFoundException(version, versions.Select(v => v.Version));

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> properties, params (string Key, string? Value)[] changes)
    {
        var copy = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                copy.Remove(key);
            }
            else
            {
                copy[key] = value;
            }
        }

        return copy;
    }

    private static string ReadLibraryVersion()
    {
        var assembly = typeof(ModelVersionManager).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private string Now() => _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private async Task<ModelMetadata> SaveCoreAsync(ReadOnlyMemory<byte> content, ModelSaveRequest request, CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, string>(request.Properties, StringComparer.Ordinal)
        {
            [ModelPropertyNames.LibraryVersion] = _libraryVersion,
        };
        if (request.Trainer is not null)
        {
            properties[ModelPropertyNames.Trainer] = request.Trainer;
        }

        foreach (var (key, value) in request.TrainerOptions)
        {
            properties[ModelPropertyNames.TrainerOptionPrefix + key] = value;
        }

        for (var attempt = 1; ; attempt++)
        {
            var existing = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var metadata = new ModelMetadata(VersionIds.Next(existing.Select(v => v.Version), now))
            {
                ParentVersion = request.ParentVersion,
                CreatedAt = now,
                SchemaHash = request.SchemaHash,
                WatermarkSequence = request.Watermark.Sequence,
                TrainingRows = request.TrainingRows,
                Metrics = new Dictionary<string, double>(request.Metrics, StringComparer.Ordinal),
                Properties = properties,
                Pinned = request.Pinned,
            };
            try
            {
                await _store.SaveAsync(metadata, content, cancellationToken).ConfigureAwait(false);
                Log.VersionSaved(_logger, metadata.Version, metadata.ParentVersion, metadata.TrainingRows);
                return metadata;
            }
            catch (InvalidOperationException) when (attempt < MaxIdAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Another process took this id between our listing and our save: list again and take the next one.
            }
        }
    }

    private async Task RetainIfConfiguredAsync(CancellationToken cancellationToken)
    {
        if (_applyRetentionOnSave)
        {
            await ApplyRetentionCoreAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
