using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using PatternQuality.Storage.Shared;
using PatternQuality.Storage.Sqlite.Internal;

namespace PatternQuality.Storage.Sqlite;

/// <summary>
/// An <see cref="IModelStore"/> in one SQLite database file: every version's bytes, metadata and SHA-256, the active
/// version and the activation history, safe for several processes on one machine.
/// </summary>
/// <remarks>
/// <para>
/// The database runs in WAL mode: readers never wait for the writer and see the last committed state. Every change
/// (save, metadata update, delete, activation, <see cref="UpdateAsync"/>) is one transaction opened with
/// <c>BEGIN IMMEDIATE</c>, which takes SQLite's write lock before the first read, so a writer always decides on the
/// current state; a second writer (in this or another process) waits for it up to
/// <see cref="SqliteModelStoreOptions.LockTimeout"/>. Commits are synchronous (<c>synchronous = FULL</c>): a completed
/// task means the change survives a power cut, and a crash at any point leaves the previous state or the new one.
/// </para>
/// <para>Every load verifies the content's length and SHA-256; a damaged version raises <see cref="ModelStoreCorruptedException"/> and is never deleted by the store.</para>
/// <para>
/// The file must be on a local disk (WAL needs shared memory between the processes, which network file systems do not
/// provide). <see cref="Dispose"/> closes the pooled connections; the package README describes the locking and failure modes.
/// </para>
/// </remarks>
public sealed class SqliteModelStore : IModelStore, IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lockTimeout;
    private readonly SemaphoreSlim _processWriters;
    private readonly string _connectionString;
    private volatile bool _schemaChecked;

    /// <summary>Initializes a new instance of the <see cref="SqliteModelStore"/> class.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock for save and activation times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every problem is listed.</exception>
    /// <remarks>The constructor does no I/O: a missing folder or a file that is not a model store is reported by the first operation.</remarks>
    public SqliteModelStore(SqliteModelStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _lockTimeout = options.LockTimeout;
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _processWriters = SqliteWriters.For(DatabasePath);
        _connectionString = SqliteConnections.ConnectionString(DatabasePath, options.LockTimeout);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The file's folder is missing or read-only, or another writer held the lock longer than <see cref="SqliteModelStoreOptions.LockTimeout"/>.</exception>
    /// <exception cref="ModelStoreCorruptedException">The file is not an SQLite database, or is another application's.</exception>
    /// <exception cref="ArgumentException">The metadata has a null property value or an empty alias.</exception>
    public Task SaveAsync(ModelMetadata metadata, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        MetadataRow.CheckStorable(metadata);
        return WriteAsync(
            (connection, transaction) =>
            {
                if (Exists(connection, transaction, metadata.Version))
                {
                    throw new InvalidOperationException($"Model version '{metadata.Version}' already exists in the store '{DatabasePath}'.");
                }

                using var insert = Command(
                    connection,
                    transaction,
                    $"INSERT INTO pq_models ({MetadataColumns.InsertColumns}, length, sha256, saved_at, content) VALUES ({MetadataColumns.InsertValues}, $length, $sha256, $saved_at, $content);");
                MetadataColumns.Bind(insert, metadata);
                insert.Parameters.AddWithValue("$length", content.Length);
                insert.Parameters.AddWithValue("$sha256", Convert.ToHexStringLower(SHA256.HashData(content.Span)));
                insert.Parameters.AddWithValue("$saved_at", Now());
                insert.Parameters.Add("$content", SqliteType.Blob).Value = content.ToArray();
                insert.ExecuteNonQuery();
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The version's content does not match its recorded length or SHA-256, or the database is damaged; the message names the file and the version.</exception>
    public Task<StoredModel> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return ReadAsync(
            connection => connection is null ? throw new ModelNotFoundException(version, []) : ReadModel(connection, null, version),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ModelMetadata>>(connection => connection is null ? [] : ListIn(connection, null), cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The metadata has a null property value or an empty alias.</exception>
    public Task UpdateMetadataAsync(ModelMetadata metadata, CancellationToken cancellationToken = default)
    {
        MetadataRow.CheckStorable(metadata);
        return WriteAsync((connection, transaction) => UpdateIn(connection, transaction, metadata), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(
            (connection, transaction) =>
            {
                if (ActiveIn(connection, transaction) == version)
                {
                    throw new InvalidOperationException($"Model version '{version}' is active and cannot be deleted; activate another version first.");
                }

                using var delete = Command(connection, transaction, "DELETE FROM pq_models WHERE version = $version;");
                delete.Parameters.AddWithValue("$version", version);
                return delete.ExecuteNonQuery() > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection => connection is null ? null : ActiveIn(connection, null), cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The version's content does not verify; the active version is left unchanged.</exception>
    public Task SetActiveVersionAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(
            (connection, transaction) =>
            {
                ActivateIn(connection, transaction, version);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction, begun with <c>BEGIN IMMEDIATE</c>, spans the read, the callback and the write: no other writer
    /// in any process changes the store in between, and the whole change commits at once or not at all. The callback
    /// may call <see cref="LoadAsync"/> (readers do not wait for the writer in WAL mode) but not the writing members.
    /// </remarks>
    /// <exception cref="ModelStoreCorruptedException">The version to activate does not verify; nothing is changed.</exception>
    /// <exception cref="ModelStoreAccessException">Another writer held the lock longer than <see cref="SqliteModelStoreOptions.LockTimeout"/>.</exception>
    public Task UpdateAsync(Func<ModelStoreSnapshot, CancellationToken, Task<ModelStoreChange?>> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return WriteAsync(
            async (connection, transaction) =>
            {
                var snapshot = new ModelStoreSnapshot(ListIn(connection, transaction), ActiveIn(connection, transaction));
                var change = await update(snapshot, cancellationToken).ConfigureAwait(false);
                if (change is null)
                {
                    return false;
                }

                foreach (var metadata in change.UpdatedVersions)
                {
                    MetadataRow.CheckStorable(metadata);
                    UpdateIn(connection, transaction, metadata);
                }

                if (change.ActivateVersion is { } activate && activate != snapshot.ActiveVersion)
                {
                    ActivateIn(connection, transaction, activate);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>Closes this store's pooled connections (the database file stays as it is).</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Gets the activation history, oldest first: which version became active, when, and which was active before.</summary>
    internal Task<IReadOnlyList<(string Version, string? Previous, DateTimeOffset At)>> GetActivationHistoryAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<(string, string?, DateTimeOffset)>>(
            connection =>
            {
                if (connection is null)
                {
                    return [];
                }

                using var select = Command(connection, null, "SELECT version, previous, at FROM pq_activations ORDER BY id;");
                using var reader = select.ExecuteReader();
                var history = new List<(string, string?, DateTimeOffset)>();
                while (reader.Read())
                {
                    history.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
                }

                return history;
            },
            cancellationToken);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction? transaction, string version)
    {
        using var select = Command(connection, transaction, "SELECT 1 FROM pq_models WHERE version = $version;");
        select.Parameters.AddWithValue("$version", version);
        return select.ExecuteScalar() is not null;
    }

    private static string? ActiveIn(SqliteConnection connection, SqliteTransaction? transaction) =>
        SqliteSchema.Scalar(connection, transaction, "SELECT active_version FROM pq_store WHERE id = 1;") as string;

    private static List<string> VersionsIn(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var select = Command(connection, transaction, "SELECT version FROM pq_models ORDER BY seq;");
        using var reader = select.ExecuteReader();
        var versions = new List<string>();
        while (reader.Read())
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    private List<ModelMetadata> ListIn(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var select = Command(connection, transaction, $"SELECT {MetadataColumns.Select} FROM pq_models ORDER BY seq;");
        using var reader = select.ExecuteReader();
        var list = new List<ModelMetadata>();
        while (reader.Read())
        {
            list.Add(MetadataColumns.Read(reader, DatabasePath));
        }

        return list;
    }

    private bool UpdateIn(SqliteConnection connection, SqliteTransaction transaction, ModelMetadata metadata)
    {
        using var update = Command(connection, transaction, $"UPDATE pq_models SET {MetadataColumns.Assign} WHERE version = $version;");
        MetadataColumns.Bind(update, metadata);
        if (update.ExecuteNonQuery() == 0)
        {
            // Thrown inside the transaction, so nothing this change did before is kept.
            throw new ModelNotFoundException(metadata.Version, VersionsIn(connection, transaction));
        }

        return true;
    }

    private void ActivateIn(SqliteConnection connection, SqliteTransaction transaction, string version)
    {
        // Verify before switching: the active version must always be one that loads.
        _ = ReadModel(connection, transaction, version);
        var previous = ActiveIn(connection, transaction);
        using var activate = Command(
            connection,
            transaction,
            $"""
            UPDATE pq_store SET active_version = $version WHERE id = 1;
            INSERT INTO pq_activations (version, previous, at) VALUES ($version, $previous, $at);
            DELETE FROM pq_activations WHERE id <= (SELECT max(id) FROM pq_activations) - {SqliteSchema.MaxActivations};
            """);
        activate.Parameters.AddWithValue("$version", version);
        activate.Parameters.AddWithValue("$previous", (object?)previous ?? DBNull.Value);
        activate.Parameters.AddWithValue("$at", Now());
        activate.ExecuteNonQuery();
    }

    private StoredModel ReadModel(SqliteConnection connection, SqliteTransaction? transaction, string version)
    {
        using var select = Command(connection, transaction, $"SELECT {MetadataColumns.Select}, length, sha256, length(content), content FROM pq_models WHERE version = $version;");
        select.Parameters.AddWithValue("$version", version);
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            reader.Dispose();
            throw new ModelNotFoundException(version, VersionsIn(connection, transaction));
        }

        var metadata = MetadataColumns.Read(reader, DatabasePath);
        var recordedLength = reader.GetInt64(12);
        var recordedSha = reader.GetString(13);
        var actualLength = reader.IsDBNull(14) ? -1 : reader.GetInt64(14);

        // Checked before the blob is read, so a row whose content was replaced by something huge is not loaded whole.
        if (actualLength != recordedLength)
        {
            throw Corrupted(version, actualLength < recordedLength
                ? $"its content is truncated: {actualLength} bytes where the store recorded {recordedLength}"
                : $"its content is {actualLength} bytes where the store recorded {recordedLength}");
        }

        var content = recordedLength == 0 ? [] : reader.GetFieldValue<byte[]>(15);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!string.Equals(sha, recordedSha, StringComparison.OrdinalIgnoreCase))
        {
            throw Corrupted(version, $"the checksum of its content ({sha}) is not the one the store recorded ({recordedSha}): the content was altered or is not the model that was saved");
        }

        return new StoredModel(metadata, content) { Location = $"{DatabasePath}#{version}" };
    }

    private ModelStoreCorruptedException Corrupted(string version, string problem) =>
        new(DatabasePath, $"model version '{version}' in table pq_models: {problem}. The version is kept as it is; activate or roll back to another one.");

    private string Now() => _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Opens a connection with this store's settings and checks the schema once per store instance.</summary>
    /// <param name="create">Whether a missing database file is created (writes) or reported as <see langword="null"/> (reads: an absent store reads as empty).</param>
    private SqliteConnection? Open(bool create)
    {
        var connection = SqliteConnections.Open(DatabasePath, _connectionString, _lockTimeout, "model store", ensureSchema: !_schemaChecked, create);
        if (connection is not null)
        {
            _schemaChecked = true;
        }

        return connection;
    }

    /// <summary>Runs a read; failures come back in the task, as from an async method.</summary>
    private Task<T> ReadAsync<T>(Func<SqliteConnection?, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            // Each read is one statement, which in WAL mode sees one committed state: no lock, no wait for the writer.
            using var connection = Open(create: false);
            return Task.FromResult(read(connection));
        }
        catch (SqliteException ex)
        {
            return Task.FromException<T>(Translate(ex));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken) =>
        WriteAsync((c, t) => Task.FromResult(write(c, t)), cancellationToken);

    /// <summary>Runs one write transaction, begun with <c>BEGIN IMMEDIATE</c>; anything thrown rolls it back.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!await _processWriters.WaitAsync(_lockTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ModelStoreAccessException(DatabasePath, $"Timed out after {_lockTimeout} waiting for another writer in this process to finish with the SQLite model store '{DatabasePath}'.");
        }

        try
        {
            using var connection = Open(create: true)!;

            // deferred: false is BEGIN IMMEDIATE: the write lock is taken now, before anything is read, so the decision
            // below is made on the state the commit replaces (a deferred transaction could read, then fail to upgrade).
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
        finally
        {
            _processWriters.Release();
        }
    }

    private Exception Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED: another connection kept the write lock past the busy timeout.
        5 or 6 => new ModelStoreAccessException(DatabasePath, $"Timed out after {_lockTimeout} waiting for another writer to release the SQLite model store '{DatabasePath}' (SQLite: {ex.Message}).", ex),

        // SQLITE_CORRUPT, SQLITE_NOTADB.
        11 or 26 => new ModelStoreCorruptedException(DatabasePath, $"SQLite cannot read it ({ex.Message}); restore it from a backup.", ex),
        _ => new ModelStoreAccessException(DatabasePath, $"The SQLite model store '{DatabasePath}' cannot be used: {ex.Message}", ex),
    };
}
