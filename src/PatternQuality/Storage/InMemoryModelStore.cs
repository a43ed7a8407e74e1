namespace PatternQuality.Storage;

/// <summary>
/// An <see cref="IModelStore"/> that keeps everything in process memory: for tests, demos and hosts that rebuild
/// their model at start-up. Thread-safe; nothing survives the process.
/// </summary>
public sealed class InMemoryModelStore : IModelStore
{
    private readonly Lock _gate = new();

    // Serializes UpdateAsync, whose callback awaits; the other members are short and take only _gate. Never disposed:
    // without AvailableWaitHandle a SemaphoreSlim holds no unmanaged resource.
    private readonly SemaphoreSlim _updates = new(1, 1);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, StoredModel> _models = new(StringComparer.Ordinal);
    private string? _active;

    /// <inheritdoc />
    public Task SaveAsync(ModelMetadata metadata, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_models.ContainsKey(metadata.Version))
            {
                throw new InvalidOperationException($"Model version '{metadata.Version}' already exists.");
            }

            // Copy: the caller may reuse its buffer.
            _models[metadata.Version] = new StoredModel(metadata, content.ToArray());
            _order.Add(metadata.Version);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StoredModel> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return _models.TryGetValue(version, out var m)
                ? Task.FromResult(m)
                : throw new ModelNotFoundException(version, _order);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ModelMetadata> list = _order.Select(v => _models[v].Metadata).ToArray();
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task UpdateMetadataAsync(ModelMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_models.TryGetValue(metadata.Version, out var m))
            {
                throw new ModelNotFoundException(metadata.Version, _order);
            }

            _models[metadata.Version] = m with { Metadata = metadata };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (version == _active)
            {
                throw new InvalidOperationException($"Model version '{version}' is active and cannot be deleted; activate another version first.");
            }

            if (!_models.Remove(version))
            {
                return Task.FromResult(false);
            }

            _order.Remove(version);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_active);
        }
    }

    /// <inheritdoc />
    public Task SetActiveVersionAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_models.ContainsKey(version))
            {
                throw new ModelNotFoundException(version, _order);
            }

            _active = version;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Updates run one at a time; single-member writers (<see cref="SetActiveVersionAsync"/> and the like) are not held back by them.</remarks>
    public async Task UpdateAsync(Func<ModelStoreSnapshot, CancellationToken, Task<ModelStoreChange?>> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ModelStoreSnapshot snapshot;
            lock (_gate)
            {
                snapshot = new ModelStoreSnapshot(_order.Select(v => _models[v].Metadata).ToArray(), _active);
            }

            var change = await update(snapshot, cancellationToken).ConfigureAwait(false);
            if (change is null)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                // Check everything before changing anything: the change applies whole or not at all.
                foreach (var m in change.UpdatedVersions)
                {
                    ArgumentNullException.ThrowIfNull(m);
                    if (!_models.ContainsKey(m.Version))
                    {
                        throw new ModelNotFoundException(m.Version, _order);
                    }
                }

                if (change.ActivateVersion is { } a && !_models.ContainsKey(a))
                {
                    throw new ModelNotFoundException(a, _order);
                }

                foreach (var m in change.UpdatedVersions)
                {
                    _models[m.Version] = _models[m.Version] with { Metadata = m };
                }

                _active = change.ActivateVersion ?? _active;
            }
        }
        finally
        {
            _updates.Release();
        }
    }
}
