using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PatternQuality.Feedback;
using PatternQuality.Storage.Shared;
using PatternQuality.Storage.Sqlite.Internal;

namespace PatternQuality.Storage.Sqlite;

/// <summary>
/// An <see cref="IFeedbackStore{TPattern}"/> in an SQLite database file (the same file as the
/// <see cref="SqliteModelStore"/> if you like): the durable sink a host writes feedback to, and the source the learner
/// and the trainer read it back from, safe for several processes on one machine.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type, stored as JSON text (System.Text.Json).</typeparam>
/// <remarks>
/// <para>
/// Appends are written in transactions begun with <c>BEGIN IMMEDIATE</c> (SQLite's write lock, shared with the model
/// store's writers of every process) and committed with <c>synchronous = FULL</c>: the task of <see cref="AppendAsync"/>
/// completes once its batch is in the fsync'd write-ahead log, so acknowledged feedback survives a SIGKILL or a power cut,
/// and a batch is stored whole or not at all. Batches that arrive on one instance while another is being written are
/// committed together in the next transaction (group commit: one fsync for all of them, each caller still gets its own
/// result), so concurrent callers are not limited to one batch per disk flush. Inside it every record is inserted with one prepared statement; a record whose id the
/// table already holds is skipped (<c>INSERT OR IGNORE</c> on the unique id) and counted as a duplicate. Sequence numbers
/// are given inside the lock (the largest so far plus one), so they grow in commit order and a reader resuming after a
/// watermark never skips a record that was being appended.
/// </para>
/// <para>
/// Readers take no lock (WAL): <see cref="ReadAsync"/> reads what was committed when it started, in pages of
/// 1,000 records, each page one short statement, so a long read never holds back the writers' checkpoints.
/// </para>
/// <para>The file must be on a local disk. The package README and <c>docs/storage.md</c> describe the table and the figures measured.</para>
/// </remarks>
public sealed class SqliteFeedbackStore<TPattern> : IFeedbackStore<TPattern>, IDisposable
{
    private const int PageSize = 1_000;

    private readonly JsonSerializerOptions _json;
    private readonly TimeSpan _lockTimeout;
    private readonly string _connectionString;
    private readonly GroupCommit<PendingAppend, FeedbackAppendResult<TPattern>> _groupCommit;
    private volatile bool _schemaChecked;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteFeedbackStore{TPattern}"/> class.</summary>
    /// <param name="options">The database file and the lock timeout: the same options as the <see cref="SqliteModelStore"/> on that file; validated here.</param>
    /// <param name="jsonOptions">How patterns are serialized; <see cref="JsonSerializerDefaults.Web"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every problem is listed.</exception>
    /// <remarks>The constructor does no I/O: a missing folder or a file that is not a PatternQuality database is reported by the first operation.</remarks>
    public SqliteFeedbackStore(SqliteModelStoreOptions options, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _json = jsonOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        _lockTimeout = options.LockTimeout;
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _groupCommit = new(SqliteWriters.For(DatabasePath), options.LockTimeout);
        _connectionString = SqliteConnections.ConnectionString(DatabasePath, options.LockTimeout);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets how many append transactions this instance committed (tests check that concurrent batches share one).</summary>
    internal int CommitCount => _groupCommit.CommitCount;

    /// <summary>Gets how many batches are waiting for a writer (for tests).</summary>
    internal int PendingCount => _groupCommit.PendingCount;

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The file's folder is missing or read-only, or another writer held the lock longer than <see cref="SqliteModelStoreOptions.LockTimeout"/>; nothing of the batch is stored.</exception>
    /// <exception cref="ModelStoreCorruptedException">The file is not an SQLite database, or is another application's.</exception>
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
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return new FeedbackAppendResult<TPattern>([], 0);
        }

        // Serialized before the lock is taken: the lock is held only for the inserts and the commit.
        var patterns = new string[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            patterns[i] = JsonSerializer.Serialize(records[i].Pattern, _json);
        }

        // Group commit: a commit costs one fsync (about 10 ms on a local disk) whatever it holds, so batches that arrive
        // while another is being written are committed together by the next writer (src/Shared/Storage/GroupCommit.cs).
        return await _groupCommit.SubmitAsync(
            new PendingAppend(records, patterns),
            group => Task.FromResult(WriteGroup(group)),
            () => new ModelStoreAccessException(DatabasePath, $"Timed out after {_lockTimeout} waiting for another writer in this process to finish with the SQLite database '{DatabasePath}'."),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The file is not a PatternQuality database, or a stored pattern is not valid JSON of <typeparamref name="TPattern"/>.</exception>
    public async IAsyncEnumerable<FeedbackRecord<TPattern>> ReadAsync(FeedbackWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var end = Query(connection => connection is null ? 0L : (long)SqliteSchema.Scalar(connection, null, "SELECT coalesce(max(sequence), 0) FROM pq_feedback;")!);
        var position = after.Sequence;

        // Sequences start at 1: an end of 0 is an empty (or missing) table.
        while (end > 0 && position < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = position;
            var page = Query(connection => connection is null ? [] : ReadPage(connection, from, end));
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

            // Lets the caller's awaits interleave with long reads instead of running the whole read synchronously.
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(cancellationToken);
        }

        try
        {
            return Task.FromResult(Query(connection => connection is null ? 0L : (long)SqliteSchema.Scalar(connection, null, "SELECT count(*) FROM pq_feedback;")!));
        }
        catch (Exception ex)
        {
            return Task.FromException<long>(ex);
        }
    }

    /// <summary>Writes every batch of <paramref name="group"/> in one transaction and returns each one's own result (nothing of the group is committed when it throws).</summary>
    private FeedbackAppendResult<TPattern>[] WriteGroup(IReadOnlyList<PendingAppend> group)
    {
        var results = new FeedbackAppendResult<TPattern>[group.Count];
        try
        {
            using var connection = Open(create: true)!;
            using var transaction = connection.BeginTransaction(deferred: false);
            var next = (SqliteSchema.Scalar(connection, transaction, "SELECT coalesce(max(sequence), 0) FROM pq_feedback;") is long last ? last : 0) + 1;
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR IGNORE INTO pq_feedback (sequence, id, approved, timestamp, weight, relevance, user_id, group_id, pattern)
                VALUES ($sequence, $id, $approved, $timestamp, $weight, $relevance, $user_id, $group_id, $pattern);
                """;
            var sequence = insert.Parameters.Add("$sequence", SqliteType.Integer);
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var approved = insert.Parameters.Add("$approved", SqliteType.Integer);
            var timestamp = insert.Parameters.Add("$timestamp", SqliteType.Text);
            var weight = insert.Parameters.Add("$weight", SqliteType.Real);
            var relevance = insert.Parameters.Add("$relevance", SqliteType.Real);
            var user = insert.Parameters.Add("$user_id", SqliteType.Text);
            var groupId = insert.Parameters.Add("$group_id", SqliteType.Text);
            var pattern = insert.Parameters.Add("$pattern", SqliteType.Text);
            insert.Prepare();

            for (var b = 0; b < group.Count; b++)
            {
                var (records, patterns) = (group[b].Records, group[b].Patterns);
                var accepted = new List<FeedbackRecord<TPattern>>(records.Count);
                var duplicates = 0;
                for (var i = 0; i < records.Count; i++)
                {
                    var record = records[i];
                    sequence.Value = next;
                    id.Value = record.Id;
                    approved.Value = record.Outcome == FeedbackOutcome.Approved ? 1 : 0;
                    timestamp.Value = record.Timestamp.ToString("O", CultureInfo.InvariantCulture);
                    weight.Value = (double)record.Weight;
                    relevance.Value = record.Relevance is { } r ? (double)r : DBNull.Value;
                    user.Value = (object?)record.UserId ?? DBNull.Value;
                    groupId.Value = (object?)record.GroupId ?? DBNull.Value;
                    pattern.Value = patterns[i];

                    // The unique id decides: a row already held (stored earlier, earlier in this batch, or by a batch
                    // before it in this group) is left as it is.
                    if (insert.ExecuteNonQuery() == 0)
                    {
                        duplicates++;
                        continue;
                    }

                    accepted.Add(record with { Sequence = next++ });
                }

                results[b] = new FeedbackAppendResult<TPattern>(accepted, duplicates);
            }

            transaction.Commit();
            return results;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Closes this store's pooled connections (the database file stays as it is). Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private List<FeedbackRecord<TPattern>> ReadPage(SqliteConnection connection, long after, long end)
    {
        using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT sequence, id, approved, timestamp, weight, relevance, user_id, group_id, pattern FROM pq_feedback
            WHERE sequence > $after AND sequence <= $end ORDER BY sequence LIMIT {PageSize};
            """;
        select.Parameters.AddWithValue("$after", after);
        select.Parameters.AddWithValue("$end", end);
        using var reader = select.ExecuteReader();
        var page = new List<FeedbackRecord<TPattern>>(PageSize);
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            var id = reader.GetString(1);
            TPattern? pattern;
            try
            {
                pattern = JsonSerializer.Deserialize<TPattern>(reader.GetString(8), _json);
            }
            catch (JsonException ex)
            {
                throw new ModelStoreCorruptedException(DatabasePath, $"feedback '{id}' (sequence {sequence}) in table pq_feedback has a pattern that is not JSON of {typeof(TPattern).Name} ({ex.Message}).", ex);
            }

            if (pattern is null)
            {
                throw new ModelStoreCorruptedException(DatabasePath, $"feedback '{id}' (sequence {sequence}) in table pq_feedback has a null pattern.");
            }

            page.Add(new FeedbackRecord<TPattern>(
                id,
                sequence,
                pattern,
                reader.GetInt64(2) != 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected,
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
            {
                Weight = (float)reader.GetDouble(4),
                Relevance = reader.IsDBNull(5) ? null : (float)reader.GetDouble(5),
                UserId = reader.IsDBNull(6) ? null : reader.GetString(6),
                GroupId = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return page;
    }

    /// <summary>Runs one read on a fresh connection; a missing file reads as an empty store.</summary>
    private T Query<T>(Func<SqliteConnection?, T> read)
    {
        try
        {
            using var connection = Open(create: false);
            return read(connection);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Opens a connection with the store's settings and checks the schema once per instance.</summary>
    private SqliteConnection? Open(bool create)
    {
        var connection = SqliteConnections.Open(DatabasePath, _connectionString, _lockTimeout, "feedback store", ensureSchema: !_schemaChecked, create);
        if (connection is not null)
        {
            _schemaChecked = true;
        }

        return connection;
    }

    private Exception Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED: another connection kept the write lock past the busy timeout.
        5 or 6 => new ModelStoreAccessException(DatabasePath, $"Timed out after {_lockTimeout} waiting for another writer to release the SQLite database '{DatabasePath}' (SQLite: {ex.Message}); no feedback of the batch was stored.", ex),

        // SQLITE_CORRUPT, SQLITE_NOTADB.
        11 or 26 => new ModelStoreCorruptedException(DatabasePath, $"SQLite cannot read it ({ex.Message}); restore it from a backup.", ex),
        _ => new ModelStoreAccessException(DatabasePath, $"The SQLite feedback store '{DatabasePath}' cannot be used: {ex.Message}", ex),
    };

    /// <summary>A caller's batch, serialized, waiting for a writer.</summary>
    private sealed record PendingAppend(IReadOnlyList<FeedbackRecord<TPattern>> Records, string[] Patterns);
}
