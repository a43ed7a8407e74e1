using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using PatternQuality.Storage.PostgreSql.Internal;

namespace PatternQuality.Storage.PostgreSql;

/// <summary>
/// An <see cref="IModelStore"/> in PostgreSQL, on seed 003's <c>ml_models</c> table: every version's bytes
/// (<c>model_data</c>), metadata and SHA-256, and the active version (<c>is_active</c>), shared by any number of host
/// instances and <c>pq</c> commands on any number of machines.
/// </summary>
/// <remarks>
/// <para>
/// Every change (save, metadata update, delete, activation, <see cref="UpdateAsync"/>) is one transaction that first
/// takes a transaction-level advisory lock on the store (<c>pg_advisory_xact_lock</c>, keyed by schema and
/// <see cref="PostgreSqlModelStoreOptions.ModelType"/>), so the read, the decision and the write of the quality gate
/// cannot be raced by another instance; a writer waits for the lock up to
/// <see cref="PostgreSqlModelStoreOptions.LockTimeout"/>. PostgreSQL releases the lock at commit, at rollback and when
/// the session dies, so a killed writer leaves the previous state and blocks nobody. Readers take no lock: each read
/// is one statement and sees the last committed state.
/// </para>
/// <para>
/// A partial unique index keeps one active row per model type whatever writes the table. Every activation is announced
/// with <c>NOTIFY pq_model_activated</c> in its transaction (delivered at commit); <see cref="WaitForActivationAsync"/>
/// listens for it (<see cref="ISharedModelStore"/>: the hosting package follows activations with it). <see cref="TryAcquireTrainingLockAsync"/> is the session-level lock that lets exactly one instance
/// train at a time.
/// </para>
/// <para>Every load verifies the content's length and SHA-256; a damaged version raises <see cref="ModelStoreCorruptedException"/> and is never deleted by the store.</para>
/// <para>The tables are created (or seed 003's migrated) by the first write; reads before that see an empty store. The package README describes the schema, locking and failure modes.</para>
/// </remarks>
public sealed class PostgreSqlModelStore : ISharedModelStore, IDisposable, IAsyncDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lockTimeout;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly string _modelType;
    private readonly string _schema;
    private readonly int _lockKey;
    private readonly string _unpooledConnectionString;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _listenGate = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listener;
    private readonly SchemaCheck _schemaCheck;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlModelStore"/> class.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock for save and activation times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every problem is listed, never the password.</exception>
    /// <remarks>The constructor does no I/O: an unreachable server is reported by the first operation.</remarks>
    public PostgreSqlModelStore(PostgreSqlModelStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _lockTimeout = options.LockTimeout;
        _schema = options.Schema;
        _modelType = options.ModelType;
        _table = PostgreSqlSchema.Quote(options.Schema) + ".ml_models";
        _lockKey = PostgreSqlSchema.LockKey(options.Schema, options.ModelType);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Location = PostgreSqlLocation.Describe(builder, options.Schema, options.ModelType);
        _schemaCheck = new SchemaCheck(options.Schema, Location, requiredVersion: 1);
        _dataSource = NpgsqlDataSource.Create(builder);

        // The training lock and LISTEN need a session of their own that is never handed to another caller.
        _unpooledConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString;
    }

    /// <summary>Gets where the store is, for messages: <c>postgresql://user@host:port/database#schema.ml_models/model_type</c> (never the password).</summary>
    public string Location { get; }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The server cannot be reached or refuses the user, or another writer held the lock longer than <see cref="PostgreSqlModelStoreOptions.LockTimeout"/>.</exception>
    /// <exception cref="ArgumentException">The metadata has a null property value, an empty alias or a NUL character.</exception>
    public Task SaveAsync(ModelMetadata metadata, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        MetadataColumns.CheckStorable(metadata);
        return WriteAsync(
            async (connection, transaction) =>
            {
                if (await ExistsAsync(connection, transaction, metadata.Version, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"Model version '{metadata.Version}' already exists in the store '{Location}'.");
                }

                await using var insert = new NpgsqlCommand(
                    $"INSERT INTO {_table} (model_type, {MetadataColumns.InsertColumns}, is_active, content_length, sha256, saved_at, model_data) VALUES (@model_type, {MetadataColumns.InsertValues}, false, @length, @sha256, @saved_at, @content);",
                    connection,
                    transaction);
                insert.Parameters.AddWithValue("model_type", _modelType);
                MetadataColumns.Bind(insert, metadata);
                insert.Parameters.AddWithValue("length", (long)content.Length);
                insert.Parameters.AddWithValue("sha256", Convert.ToHexStringLower(SHA256.HashData(content.Span)));
                insert.Parameters.AddWithValue("saved_at", _timeProvider.GetUtcNow());
                insert.Parameters.AddWithValue("content", NpgsqlDbType.Bytea, content);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The version's content does not match its recorded length or SHA-256, or its metadata is not valid; the message names the store and the version.</exception>
    /// <exception cref="ModelStoreAccessException">The server cannot be reached or refuses the user.</exception>
    public Task<StoredModel> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return ReadAsync(
            connection => connection is null ? throw new ModelNotFoundException(version, []) : ReadModelAsync(connection, null, version, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The server cannot be reached or refuses the user.</exception>
    public Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ModelMetadata>>(async connection => connection is null ? [] : await ListInAsync(connection, null, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The metadata has a null property value, an empty alias or a NUL character.</exception>
    public Task UpdateMetadataAsync(ModelMetadata metadata, CancellationToken cancellationToken = default)
    {
        MetadataColumns.CheckStorable(metadata);
        return WriteAsync((connection, transaction) => UpdateInAsync(connection, transaction, metadata, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(
            async (connection, transaction) =>
            {
                if (await ActiveInAsync(connection, transaction, cancellationToken).ConfigureAwait(false) == version)
                {
                    throw new InvalidOperationException($"Model version '{version}' is active and cannot be deleted; activate another version first.");
                }

                await using var delete = new NpgsqlCommand($"DELETE FROM {_table} WHERE model_type = @model_type AND version = @version;", connection, transaction);
                delete.Parameters.AddWithValue("model_type", _modelType);
                delete.Parameters.AddWithValue("version", version);
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection => connection is null ? Task.FromResult<string?>(null) : ActiveInAsync(connection, null, cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The version's content does not verify; the active version is left unchanged.</exception>
    public Task SetActiveVersionAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await ActivateInAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction, begun by taking the store's advisory lock, spans the read, the callback and the write: no other
    /// writer in any instance changes the store in between, and the whole change commits at once or not at all. The
    /// callback may call <see cref="LoadAsync"/> (readers take no lock) but not the writing members.
    /// </remarks>
    /// <exception cref="ModelStoreCorruptedException">The version to activate does not verify; nothing is changed.</exception>
    /// <exception cref="ModelStoreAccessException">Another writer held the lock longer than <see cref="PostgreSqlModelStoreOptions.LockTimeout"/>, or the server cannot be reached.</exception>
    public Task UpdateAsync(Func<ModelStoreSnapshot, CancellationToken, Task<ModelStoreChange?>> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return WriteAsync(
            async (connection, transaction) =>
            {
                var snapshot = new ModelStoreSnapshot(
                    await ListInAsync(connection, transaction, cancellationToken).ConfigureAwait(false),
                    await ActiveInAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
                var change = await update(snapshot, cancellationToken).ConfigureAwait(false);
                if (change is null)
                {
                    return false;
                }

                foreach (var metadata in change.UpdatedVersions)
                {
                    MetadataColumns.CheckStorable(metadata);
                    await UpdateInAsync(connection, transaction, metadata, cancellationToken).ConfigureAwait(false);
                }

                if (change.ActivateVersion is { } activate && activate != snapshot.ActiveVersion)
                {
                    await ActivateInAsync(connection, transaction, activate, cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Tries to take the training lock of this store (a session-level advisory lock): while the returned handle is
    /// held, no other instance's call gets one. Without waiting.
    /// </summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The held lock, to dispose when the training ends; <see langword="null"/> when another instance holds it.</returns>
    /// <exception cref="ModelStoreAccessException">The server cannot be reached or refuses the user.</exception>
    /// <remarks>
    /// The handle keeps one connection open: PostgreSQL releases the lock when it is disposed, and also when the process
    /// dies or the connection breaks, so a crashed trainer never blocks the others.
    /// </remarks>
    public async Task<IAsyncDisposable?> TryAcquireTrainingLockAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        NpgsqlConnection? connection = null;
        try
        {
            // Not from the pool: the lock lives exactly as long as this physical session.
            connection = new NpgsqlConnection(_unpooledConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PostgreSqlSchema.TrainingLockClass}, @key);", connection);
            command.Parameters.AddWithValue("key", _lockKey);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                var held = new TrainingLockHandle(connection);
                connection = null;
                return held;
            }

            return null;
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits until an instance (this one or another) activates a version of this store, or until <paramref name="timeout"/>
    /// passes. The store listens (<c>LISTEN pq_model_activated</c>) on one connection of its own, opened by the first
    /// call and kept, reconnecting with a growing pause when it breaks; activations of other model types do not count.
    /// </summary>
    /// <param name="timeout">The longest wait. A caller reads the active version afterwards either way, so an announcement missed while the listener reconnects costs at most one timeout.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// <see langword="true"/> when an activation was announced, or when the listener has just (re)started listening (an
    /// activation may have committed before it did, so the caller should read the active version); <see langword="false"/>
    /// when the timeout passed (or the server cannot be reached: this method does not throw for that, the caller's next read does).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative or longer than a day.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public async Task<bool> WaitForActivationAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, TimeSpan.FromDays(1));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        Task activated;
        lock (_listenGate)
        {
            _listener ??= Task.Run(() => ListenAsync(_disposing.Token), CancellationToken.None);
            activated = _activated.Task;
        }

        var deadline = _timeProvider.GetUtcNow() + timeout;
        try
        {
            // The first wait includes the listener's start, so an activation right after it returns is not missed.
            await _listening.Task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            var left = deadline - _timeProvider.GetUtcNow();
            await activated.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Closes this store's pooled connections (the data stays as it is).</summary>
    /// <remarks>Idempotent: a container that registered the store under two service types disposes it twice.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The listener ends on its own (its wait is cancelled); nothing waits for it.
            _disposing.Cancel();
            _dataSource.Dispose();
        }
    }

    /// <summary>Closes this store's pooled connections (the data stays as it is).</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _disposing.CancelAsync().ConfigureAwait(false);
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Keeps one LISTEN connection open until the store is disposed; completes the pending wait on every matching announcement.</summary>
    private async Task ListenAsync(CancellationToken stopping)
    {
        var payload = _schema + "." + _modelType;
        var pause = TimeSpan.FromMilliseconds(100);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_unpooledConnectionString);
                await connection.OpenAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == PostgreSqlSchema.ActivationChannel && e.Payload == payload)
                    {
                        Announce();
                    }
                };
                await PostgreSqlSchema.ExecuteAsync(connection, null, $"LISTEN {PostgreSqlSchema.ActivationChannel};", stopping).ConfigureAwait(false);
                _listening.TrySetResult();
                pause = TimeSpan.FromMilliseconds(100);

                // An activation may have committed before LISTEN took effect (a first start, a reconnect): wake the
                // waiters once, now, so they read the active version; every later activation is announced.
                Announce();

                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // Unreachable or dropped: waiters time out (they poll), and the listener tries again, less and less often.
                _listening.TrySetResult();
                try
                {
                    await Task.Delay(pause, _timeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private void Announce()
    {
        TaskCompletionSource announced;
        lock (_listenGate)
        {
            announced = _activated;
            _activated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        announced.TrySetResult();
    }

    private async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string version, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT 1 FROM {_table} WHERE model_type = @model_type AND version = @version;", connection, transaction);
        select.Parameters.AddWithValue("model_type", _modelType);
        select.Parameters.AddWithValue("version", version);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task<string?> ActiveInAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT version FROM {_table} WHERE model_type = @model_type AND is_active;", connection, transaction);
        select.Parameters.AddWithValue("model_type", _modelType);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private async Task<List<string>> VersionsInAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT version FROM {_table} WHERE model_type = @model_type ORDER BY seq;", connection, transaction);
        select.Parameters.AddWithValue("model_type", _modelType);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    private async Task<List<ModelMetadata>> ListInAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT {MetadataColumns.Select} FROM {_table} WHERE model_type = @model_type ORDER BY seq;", connection, transaction);
        select.Parameters.AddWithValue("model_type", _modelType);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ModelMetadata>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(MetadataColumns.Read(reader, Location));
        }

        return list;
    }

    private async Task<bool> UpdateInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ModelMetadata metadata, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand($"UPDATE {_table} SET {MetadataColumns.Assign} WHERE model_type = @model_type AND version = @version;", connection, transaction);
        update.Parameters.AddWithValue("model_type", _modelType);
        MetadataColumns.Bind(update, metadata);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            // Thrown inside the transaction, so nothing this change did before is kept.
            throw new ModelNotFoundException(metadata.Version, await VersionsInAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
        }

        return true;
    }

    private async Task ActivateInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string version, CancellationToken cancellationToken)
    {
        // Verify before switching: the active version must always be one that loads.
        _ = await ReadModelAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);

        // Two statements, not one UPDATE flipping both rows: the partial unique index is checked row by row, so the
        // old row must be inactive before the new one becomes active. The NOTIFY is delivered when the transaction commits.
        await using var activate = new NpgsqlCommand(
            $"""
            UPDATE {_table} SET is_active = false WHERE model_type = @model_type AND is_active AND version <> @version;
            UPDATE {_table} SET is_active = true, activated_at = @at WHERE model_type = @model_type AND version = @version;
            SELECT pg_notify('{PostgreSqlSchema.ActivationChannel}', @payload);
            """,
            connection,
            transaction);
        activate.Parameters.AddWithValue("model_type", _modelType);
        activate.Parameters.AddWithValue("version", version);
        activate.Parameters.AddWithValue("at", _timeProvider.GetUtcNow());
        activate.Parameters.AddWithValue("payload", _schema + "." + _modelType);
        await activate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredModel> ReadModelAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string version, CancellationToken cancellationToken)
    {
        // The bytes come back only when their length is the recorded one, so a row whose content was replaced by
        // something huge is never loaded whole.
        await using var select = new NpgsqlCommand(
            $"SELECT {MetadataColumns.Select}, content_length, sha256, octet_length(model_data), CASE WHEN octet_length(model_data) = content_length THEN model_data END FROM {_table} WHERE model_type = @model_type AND version = @version;",
            connection,
            transaction);
        select.Parameters.AddWithValue("model_type", _modelType);
        select.Parameters.AddWithValue("version", version);
        byte[] content;
        ModelMetadata metadata;
        string recordedSha;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                throw new ModelNotFoundException(version, await VersionsInAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
            }

            metadata = MetadataColumns.Read(reader, Location);
            const int first = MetadataColumns.Count;
            if (reader.IsDBNull(first) || reader.IsDBNull(first + 1))
            {
                throw Corrupted(version, "it has no recorded length or checksum (a row this library did not write)");
            }

            var recordedLength = reader.GetInt64(first);
            recordedSha = reader.GetString(first + 1).Trim();
            var actualLength = reader.IsDBNull(first + 2) ? -1 : reader.GetInt32(first + 2);
            if (actualLength != recordedLength)
            {
                throw Corrupted(version, actualLength < recordedLength
                    ? $"its content is truncated: {actualLength} bytes where the store recorded {recordedLength}"
                    : $"its content is {actualLength} bytes where the store recorded {recordedLength}");
            }

            content = await reader.GetFieldValueAsync<byte[]>(first + 3, cancellationToken).ConfigureAwait(false);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!string.Equals(sha, recordedSha, StringComparison.OrdinalIgnoreCase))
        {
            throw Corrupted(version, $"the checksum of its content ({sha}) is not the one the store recorded ({recordedSha}): the content was altered or is not the model that was saved");
        }

        return new StoredModel(metadata, content) { Location = $"{Location}#{version}" };
    }

    private ModelStoreCorruptedException Corrupted(string version, string problem) =>
        new(Location, $"model version '{version}' in table ml_models: {problem}. The version is kept as it is; activate or roll back to another one.");

    /// <summary>Runs a read on a pooled connection; each read is one statement, which sees one committed state.</summary>
    /// <param name="read">Receives the connection, or <see langword="null"/> when the store's tables do not exist yet (an empty store).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection?, Task<T>> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await read(await _schemaCheck.EnsureAsync(connection, create: false, cancellationToken).ConfigureAwait(false) ? connection : null).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Runs one write transaction under the store's advisory lock; anything thrown rolls it back.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await _schemaCheck.EnsureAsync(connection, create: true, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // lock_timeout bounds the wait for the advisory lock (SET LOCAL ends with the transaction); the lock is
            // taken before anything is read, so the decision below is made on the state the commit replaces.
            await using (var lockCommand = new NpgsqlCommand(
                $"SET LOCAL lock_timeout = {(long)_lockTimeout.TotalMilliseconds}; SELECT pg_advisory_xact_lock({PostgreSqlSchema.StoreLockClass}, @key);",
                connection,
                transaction))
            {
                lockCommand.Parameters.AddWithValue("key", _lockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = await write(connection, transaction).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            // Not cancellable: a commit cut short leaves the caller unsure whether the change happened.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex);
        }
    }

    private Exception Translate(NpgsqlException ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable } =>
            new ModelStoreAccessException(Location, $"Timed out after {_lockTimeout} waiting for another writer to release the PostgreSQL model store '{Location}'.", ex),
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pg =>
            new ModelStoreAccessException(Location, $"The PostgreSQL user may not use the model store '{Location}': {pg.MessageText}. Grant it CREATE on the schema (first use) and SELECT, INSERT, UPDATE, DELETE on its tables.", ex),
        PostgresException pg =>
            new ModelStoreAccessException(Location, $"The PostgreSQL model store '{Location}' cannot be used: {pg.SqlState} {pg.MessageText}", ex),
        _ => new ModelStoreAccessException(Location, $"The PostgreSQL model store '{Location}' cannot be reached: {ex.Message}", ex),
    };

    /// <summary>A held training lock: one unpooled session, closed on dispose (which releases the lock).</summary>
    private sealed class TrainingLockHandle(NpgsqlConnection connection) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection = connection;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _connection, null) is { } held)
            {
                // Closing the session releases every session-level advisory lock it holds.
                await held.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
