using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PatternQuality.Feedback;
using PatternQuality.Storage.PostgreSql.Internal;
using PatternQuality.Storage.Shared;

namespace PatternQuality.Storage.PostgreSql;

/// <summary>
/// An <see cref="IFeedbackStore{TPattern}"/> on seed 003's <c>training_data</c> table: the durable sink every host
/// instance writes its users' feedback to, and the source the learners and trainers of all instances read it back from.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type, stored as JSON in <c>feature_vector</c> (JSONB, System.Text.Json).</typeparam>
/// <remarks>
/// <para>
/// Batches appended through one store instance while another of its batches is being written are committed together
/// in the next transaction (group commit: one WAL flush for all of them; each caller still gets its own result, and a
/// record whose id an earlier batch of the group holds counts as a duplicate of the later one). Each transaction first takes a transaction-level advisory lock for the model
/// type's feedback (so appenders of every instance take turns and sequence numbers become visible in order: a reader
/// resuming after a watermark never skips a record that was being appended), leaves out the ids the table already holds
/// (duplicates, as are ids repeated in the batch) and numbers the new records after the largest sequence so far, in
/// batch order. A group of fewer than 256 distinct records is one statement batch in one round trip (lock, check,
/// numbering and insert, committed before the server answers); a larger one is written by binary <c>COPY</c>, the
/// server's bulk path, after the check. The unique indexes on <c>(model_type, feedback_id)</c> and
/// <c>(model_type, sequence)</c> guard both columns whatever writes the table. The task completes when the transaction
/// has committed, which with PostgreSQL's default <c>synchronous_commit = on</c> means the WAL is on disk: acknowledged
/// feedback survives a crash of the process and of the server. A batch is stored whole or not at all, so a batch
/// retried after an error or a lost answer stores each record once.
/// </para>
/// <para>Readers take no lock: <see cref="ReadAsync"/> reads up to the largest sequence committed when it started, in pages of 1,000.</para>
/// <para>
/// Columns: <c>feature_vector</c> (the pattern), <c>label</c> (<c>approved</c>/<c>rejected</c>), <c>created_at</c>
/// (the feedback's time, UTC), <c>user_id</c> (<c>''</c> when none: the seed declares it NOT NULL), and the added
/// <c>model_type</c>, <c>feedback_id</c>, <c>sequence</c>, <c>weight</c>, <c>relevance</c>, <c>group_id</c>.
/// </para>
/// </remarks>
public sealed class PostgreSqlFeedbackStore<TPattern> : IFeedbackStore<TPattern>, IDisposable, IAsyncDisposable
{
    private const int PageSize = 1_000;
    private const int MaximumUserIdLength = 255;

    /// <summary>From this many distinct records a batch is written by binary COPY; smaller ones by one INSERT in one round trip.</summary>
    internal const int DefaultBulkCopyThreshold = 256;

    private readonly JsonSerializerOptions _json;
    private readonly TimeSpan _lockTimeout;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly string _schema;
    private readonly string _modelType;
    private readonly int _lockKey;
    private readonly SchemaCheck _schemaCheck;
    private readonly GroupCommit<PendingAppend, FeedbackAppendResult<TPattern>> _groupCommit;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlFeedbackStore{TPattern}"/> class.</summary>
    /// <param name="options">The connection, schema, model type and lock timeout: the same options as the <see cref="PostgreSqlModelStore"/> of the host; validated here.</param>
    /// <param name="jsonOptions">How patterns are serialized; <see cref="JsonSerializerDefaults.Web"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every problem is listed, never the password.</exception>
    /// <remarks>The constructor does no I/O: an unreachable server is reported by the first operation.</remarks>
    public PostgreSqlFeedbackStore(PostgreSqlModelStoreOptions options, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _json = jsonOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        _lockTimeout = options.LockTimeout;
        _schema = options.Schema;
        _modelType = options.ModelType;
        _table = PostgreSqlSchema.Quote(options.Schema) + ".training_data";
        _lockKey = PostgreSqlSchema.LockKey(options.Schema, options.ModelType);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Location = PostgreSqlLocation.Describe(builder, options.Schema, options.ModelType).Replace(".ml_models/", ".training_data/", StringComparison.Ordinal);
        _schemaCheck = new SchemaCheck(options.Schema, Location, requiredVersion: 2);
        _dataSource = NpgsqlDataSource.Create(builder);

        // Appenders of this instance queue here, so concurrent batches share one transaction (one WAL flush); other
        // instances and processes take turns with it on the server's advisory lock.
        _groupCommit = new(new SemaphoreSlim(1, 1), options.LockTimeout);
    }

    /// <summary>Gets or sets from how many distinct records a batch goes by COPY (tests set 1 to run the contract suite on that path).</summary>
    internal int BulkCopyThreshold { get; set; } = DefaultBulkCopyThreshold;

    /// <summary>Gets how many append transactions this instance committed (tests check that concurrent batches share one).</summary>
    internal int CommitCount => _groupCommit.CommitCount;

    /// <summary>Gets how many batches are waiting for a writer (for tests).</summary>
    internal int PendingCount => _groupCommit.PendingCount;

    /// <summary>Gets where the store is, for messages: <c>postgresql://user@host:port/database#schema.training_data/model_type</c> (never the password).</summary>
    public string Location { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A record is null, or its user id is longer than 255 characters (seed 003's <c>VARCHAR(255)</c>); nothing is stored.</exception>
    /// <exception cref="ModelStoreAccessException">The server cannot be reached, or another appender held the lock longer than <see cref="PostgreSqlModelStoreOptions.LockTimeout"/>; nothing of the batch is stored.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<FeedbackAppendResult<TPattern>> AppendAsync(IReadOnlyList<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException($"Record {i} of the batch is null.", nameof(records));
            }

            if (records[i].UserId is { Length: > MaximumUserIdLength } user)
            {
                throw new ArgumentException($"Record {i} of the batch ('{records[i].Id}') has a user id of {user.Length} characters; training_data.user_id holds {MaximumUserIdLength}.", nameof(records));
            }
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return new FeedbackAppendResult<TPattern>([], 0);
        }

        // Ids repeated in the batch: the first occurrence counts. Serialized before the lock is taken.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<FeedbackRecord<TPattern>>(records.Count);
        foreach (var record in records)
        {
            if (seen.Add(record.Id))
            {
                unique.Add(record);
            }
        }

        var patterns = new string[unique.Count];
        for (var i = 0; i < unique.Count; i++)
        {
            patterns[i] = JsonSerializer.Serialize(unique[i].Pattern, _json);
        }

        // Group commit: every transaction waits for one WAL flush whatever it holds, so batches that arrive while
        // another is being written are committed together by the next writer (src/Shared/Storage/GroupCommit.cs).
        return await _groupCommit.SubmitAsync(
            new PendingAppend(records.Count, unique, patterns),
            WriteGroupAsync,
            () => new ModelStoreAccessException(Location, $"Timed out after {_lockTimeout} waiting for another appender of this store to finish with the PostgreSQL feedback store '{Location}'; no feedback of the batch was stored."),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">A stored pattern is not JSON of <typeparamref name="TPattern"/>, or a row lacks the columns this store writes.</exception>
    /// <exception cref="ModelStoreAccessException">The server cannot be reached.</exception>
    public async IAsyncEnumerable<FeedbackRecord<TPattern>> ReadAsync(FeedbackWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var end = await QueryAsync(
            async connection =>
            {
                if (connection is null)
                {
                    return 0L;
                }

                await using var max = new NpgsqlCommand($"SELECT coalesce(max(sequence), 0) FROM {_table} WHERE model_type = @model_type;", connection);
                max.Parameters.AddWithValue("model_type", _modelType);
                return (long)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
        var position = after.Sequence;
        while (position < end)
        {
            var from = position;
            var page = await QueryAsync(connection => connection is null ? Task.FromResult(new List<FeedbackRecord<TPattern>>()) : ReadPageAsync(connection, from, end, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var record in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return record;
            }

            position = page[^1].Sequence;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The server cannot be reached.</exception>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(
            async connection =>
            {
                if (connection is null)
                {
                    return 0L;
                }

                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {_table} WHERE model_type = @model_type;", connection);
                count.Parameters.AddWithValue("model_type", _modelType);
                return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <summary>Closes this store's pooled connections (the data stays as it is). Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Closes this store's pooled connections (the data stays as it is). Calling it again does nothing.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the batches of <paramref name="group"/> in one transaction and returns each one's own result: a record
    /// whose id an earlier batch of the group holds is that later batch's duplicate, as if the batches had come one
    /// after the other. Runs without the callers' tokens: the transaction holds other callers' batches.
    /// </summary>
    private async Task<FeedbackAppendResult<TPattern>[]> WriteGroupAsync(IReadOnlyList<PendingAppend> group)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var combined = new List<FeedbackRecord<TPattern>>(group.Count == 1 ? group[0].Unique.Count : 1_024);
        var patterns = new List<string>(combined.Capacity);
        for (var b = 0; b < group.Count; b++)
        {
            var batch = group[b];
            for (var i = 0; i < batch.Unique.Count; i++)
            {
                if (owner.TryAdd(batch.Unique[i].Id, b))
                {
                    combined.Add(batch.Unique[i]);
                    patterns.Add(batch.Patterns[i]);
                }
            }
        }

        List<FeedbackRecord<TPattern>> accepted;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await _schemaCheck.EnsureAsync(connection, create: true, CancellationToken.None).ConfigureAwait(false);
            accepted = combined.Count >= BulkCopyThreshold
                ? await AppendByCopyAsync(connection, combined, patterns, CancellationToken.None).ConfigureAwait(false)
                : await AppendByInsertAsync(connection, combined, patterns, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Only a writer that does not take the store's lock (not this library) can insert between the check and
            // the COPY; the transaction rolled back, so a retry of the same batch is safe.
            throw new ModelStoreAccessException(Location, $"Another writer inserted feedback for model type '{_modelType}' into the PostgreSQL feedback store '{Location}' without taking its lock ({ex.MessageText} {ex.Detail}); no feedback of the batch was stored, and the batch can be retried.", ex);
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex, "no feedback of the batch was stored");
        }

        var perBatch = new List<FeedbackRecord<TPattern>>[group.Count];
        for (var b = 0; b < group.Count; b++)
        {
            perBatch[b] = new List<FeedbackRecord<TPattern>>(group[b].Unique.Count);
        }

        // Accepted records come back in combined order, so each batch's records stay in its own order.
        foreach (var record in accepted)
        {
            perBatch[owner[record.Id]].Add(record);
        }

        var results = new FeedbackAppendResult<TPattern>[group.Count];
        for (var b = 0; b < group.Count; b++)
        {
            results[b] = new FeedbackAppendResult<TPattern>(perBatch[b], group[b].Count - perBatch[b].Count);
        }

        return results;
    }

    /// <summary>
    /// A small batch in one round trip: the lock, the duplicate check, the numbering and the insert in one statement
    /// batch that the server runs as one implicit transaction and commits before it answers (a loaded server spends more
    /// on round trips than on a hundred rows).
    /// </summary>
    private async Task<List<FeedbackRecord<TPattern>>> AppendByInsertAsync(NpgsqlConnection connection, List<FeedbackRecord<TPattern>> unique, List<string> patterns, CancellationToken cancellationToken)
    {
        // No explicit transaction: Npgsql sends the batch with one Sync, so the statements share one transaction that
        // commits (WAL flushed) before the last answer arrives, and any failure rolls all of it back.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT set_config('lock_timeout', '{(long)_lockTimeout.TotalMilliseconds}', true)"));
        var lockCommand = new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgreSqlSchema.FeedbackLockClass}, $1)");
        lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _lockKey });
        batch.BatchCommands.Add(lockCommand);

        // The ids already held are left out, and the new rows are numbered after the largest sequence, in batch order,
        // by the INSERT itself, all while the lock is held.
        var insert = new NpgsqlBatchCommand(
            $"""
            WITH input AS (
                SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp[], $7::real[], $8::real[], $9::text[]) WITH ORDINALITY
                  AS t(id, user_id, pattern, label, created_at, weight, relevance, group_id, position)),
            fresh AS (
                SELECT i.* FROM input i
                WHERE NOT EXISTS (SELECT 1 FROM {_table} d WHERE d.model_type = $1 AND d.feedback_id = i.id)),
            last AS (SELECT coalesce(max(sequence), 0) AS sequence FROM {_table} WHERE model_type = $1)
            INSERT INTO {_table} (model_type, feedback_id, sequence, user_id, feature_vector, label, created_at, weight, relevance, group_id)
            SELECT $1, f.id, last.sequence + row_number() OVER (ORDER BY f.position), f.user_id, f.pattern::jsonb, f.label, f.created_at, f.weight, f.relevance, f.group_id
            FROM fresh f, last
            RETURNING feedback_id, sequence
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _modelType });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = unique.Select(r => r.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = unique.Select(r => r.UserId ?? string.Empty).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = patterns.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = unique.Select(r => Label(r.Outcome)).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp, Value = unique.Select(r => Timestamp(r.Timestamp)).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = unique.Select(r => r.Weight).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real, Value = unique.Select(r => r.Relevance is { } v ? (object)v : DBNull.Value).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = unique.Select(r => (object?)r.GroupId ?? DBNull.Value).ToArray() });
        batch.BatchCommands.Add(insert);

        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.FieldCount == 2)
                    {
                        sequences[reader.GetString(0)] = reader.GetInt64(1);
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        // The reader has been read to the end: the server has committed (an error at the commit would have been thrown).
        var accepted = new List<FeedbackRecord<TPattern>>(sequences.Count);
        foreach (var record in unique)
        {
            if (sequences.TryGetValue(record.Id, out var sequence))
            {
                accepted.Add(record with { Sequence = sequence });
            }
        }

        return accepted;
    }

    /// <summary>A large batch by the server's bulk path: the duplicate check under the lock, one binary COPY, the commit.</summary>
    private async Task<List<FeedbackRecord<TPattern>>> AppendByCopyAsync(NpgsqlConnection connection, List<FeedbackRecord<TPattern>> unique, List<string> patterns, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Round trip 1, under the lock: which ids the table already holds (duplicates) and the largest sequence.
        // While the lock is held no other appender of any instance inserts for this model type, so what this answers
        // stays true until the commit; the unique indexes still guard both columns.
        var (held, last) = await HeldIdsAndLastSequenceAsync(connection, transaction, unique, cancellationToken).ConfigureAwait(false);
        var accepted = new List<FeedbackRecord<TPattern>>(unique.Count);
        var acceptedPatterns = new List<string>(unique.Count);
        for (var i = 0; i < unique.Count; i++)
        {
            if (!held.Contains(unique[i].Id))
            {
                accepted.Add(unique[i] with { Sequence = last + accepted.Count + 1 });
                acceptedPatterns.Add(patterns[i]);
            }
        }

        // Then the new rows by binary COPY, numbered in batch order. COPY inserts a page of rows at a time (one WAL
        // record per page, not one per row: about half the server's work of INSERT ... SELECT on 1,000 rows of 600-byte
        // patterns); data_id is given (a time-ordered UUIDv7) because a volatile column default (the seed's
        // gen_random_uuid()) would make the server fall back to one row at a time, and ordered keys append to the
        // primary key's index instead of touching a random page per row.
        if (accepted.Count > 0)
        {
            await CopyAsync(connection, accepted, acceptedPatterns, cancellationToken).ConfigureAwait(false);
        }

        // Past this point the batch commits: cancelling now would leave the caller unsure of what was stored.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return accepted;
    }

    private static string Label(FeedbackOutcome outcome) => outcome == FeedbackOutcome.Approved ? "approved" : "rejected";

    // training_data.created_at is the seed's TIMESTAMP (without time zone): the feedback's time in UTC.
    private static DateTime Timestamp(DateTimeOffset time) => DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Unspecified);

    private async Task<(HashSet<string> Held, long Last)> HeldIdsAndLastSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL lock_timeout = {(long)_lockTimeout.TotalMilliseconds}"));
        var lockCommand = new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgreSqlSchema.FeedbackLockClass}, $1)");
        lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _lockKey });
        batch.BatchCommands.Add(lockCommand);
        var last = new NpgsqlBatchCommand($"SELECT coalesce(max(sequence), 0) FROM {_table} WHERE model_type = $1");
        last.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _modelType });
        batch.BatchCommands.Add(last);
        var held = new NpgsqlBatchCommand($"SELECT feedback_id FROM {_table} WHERE model_type = $1 AND feedback_id = ANY($2)");
        held.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _modelType });
        held.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = records.Select(r => r.Id).ToArray() });
        batch.BatchCommands.Add(held);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // Results: the lock's row, the largest sequence, then the ids already held (SET LOCAL returns none).
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var sequence = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return (ids, sequence);
    }

    private async Task CopyAsync(NpgsqlConnection connection, List<FeedbackRecord<TPattern>> records, List<string> patterns, CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            $"COPY {_table} (data_id, model_type, feedback_id, sequence, user_id, feature_vector, label, created_at, weight, relevance, group_id) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(_modelType, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(record.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(record.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(record.UserId ?? string.Empty, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(patterns[i], NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(Label(record.Outcome), NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(Timestamp(record.Timestamp), NpgsqlDbType.Timestamp, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(record.Weight, NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
            if (record.Relevance is { } relevance)
            {
                await import.WriteAsync(relevance, NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await import.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }

            if (record.GroupId is { } group)
            {
                await import.WriteAsync(group, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await import.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<FeedbackRecord<TPattern>>> ReadPageAsync(NpgsqlConnection connection, long after, long end, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            $"""
            SELECT sequence, feedback_id, label, created_at, weight, relevance, user_id, group_id, feature_vector::text FROM {_table}
            WHERE model_type = @model_type AND sequence > @after AND sequence <= @end ORDER BY sequence LIMIT {PageSize};
            """,
            connection);
        select.Parameters.AddWithValue("model_type", _modelType);
        select.Parameters.AddWithValue("after", after);
        select.Parameters.AddWithValue("end", end);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<FeedbackRecord<TPattern>>(PageSize);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(0);
            var id = reader.IsDBNull(1) ? null : reader.GetString(1);
            TPattern? pattern;
            try
            {
                if (id is null || reader.IsDBNull(3) || reader.IsDBNull(4))
                {
                    throw new FormatException("the row lacks feedback_id, created_at or weight");
                }

                pattern = JsonSerializer.Deserialize<TPattern>(reader.GetString(8), _json) ?? throw new FormatException("the pattern is JSON null");
            }
            catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
            {
                throw new ModelStoreCorruptedException(Location, $"feedback '{id}' (sequence {sequence}) in table training_data cannot be read: {ex.Message}", ex);
            }

            var user = reader.GetString(6);
            page.Add(new FeedbackRecord<TPattern>(
                id,
                sequence,
                pattern,
                reader.GetString(2) == "approved" ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected,
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)))
            {
                Weight = reader.GetFloat(4),
                Relevance = reader.IsDBNull(5) ? null : reader.GetFloat(5),
                UserId = user.Length == 0 ? null : user,
                GroupId = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return page;
    }

    /// <summary>Runs one read on a pooled connection; <see langword="null"/> is passed when the tables do not exist yet (an empty store).</summary>
    private async Task<T> QueryAsync<T>(Func<NpgsqlConnection?, Task<T>> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await read(await _schemaCheck.EnsureAsync(connection, create: false, cancellationToken).ConfigureAwait(false) ? connection : null).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex, "nothing was read");
        }
    }

    private ModelStoreAccessException Translate(NpgsqlException ex, string consequence) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable } =>
            new ModelStoreAccessException(Location, $"Timed out after {_lockTimeout} waiting for another appender to release the PostgreSQL feedback store '{Location}'; {consequence}.", ex),
        PostgresException pg =>
            new ModelStoreAccessException(Location, $"The PostgreSQL feedback store '{Location}' cannot be used ({pg.SqlState} {pg.MessageText}); {consequence}.", ex),
        _ => new ModelStoreAccessException(Location, $"The PostgreSQL feedback store '{Location}' cannot be reached ({ex.Message}); {consequence}.", ex),
    };

    /// <summary>A caller's batch waiting for a writer: its size, its distinct records and their serialized patterns.</summary>
    private sealed record PendingAppend(int Count, List<FeedbackRecord<TPattern>> Unique, string[] Patterns);
}
