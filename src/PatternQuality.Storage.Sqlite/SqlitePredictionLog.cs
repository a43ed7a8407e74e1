using System.Globalization;
using Microsoft.Data.Sqlite;
using PatternQuality.Feedback;
using PatternQuality.Storage.Sqlite.Internal;

namespace PatternQuality.Storage.Sqlite;

/// <summary>
/// An <see cref="IPredictionLog"/> in table <c>pq_predictions</c> of an SQLite database file (the model and feedback
/// stores' file if you like): seed 003's <c>model_predictions</c> in SQLite's types.
/// </summary>
/// <remarks>
/// <para>
/// Columns: <c>prediction_id</c> (the rowid, in write order), <c>pattern_id</c> (indexed: the feedback's id resolves by
/// it), <c>model_version</c>, <c>confidence_score</c> (the served score), <c>predicted_approved</c> (the served
/// decision, 0 or 1), <c>was_correct</c> (<c>NULL</c> until the pattern's feedback arrives, then 0 or 1),
/// <c>user_id</c>, <c>created_at</c> (ISO 8601 with its offset). Query it as you like, for example the served
/// accuracy of each version: <c>SELECT model_version, avg(was_correct), count(*) FROM pq_predictions WHERE was_correct
/// IS NOT NULL GROUP BY model_version</c>.
/// </para>
/// <para>
/// Writes are transactions begun with <c>BEGIN IMMEDIATE</c>, queued behind this process's other writers of the file
/// (models, feedback) and waiting up to <see cref="SqliteModelStoreOptions.LockTimeout"/> for other processes'.
/// Hosts write through <see cref="PredictionRecorder"/>, which batches them off the scoring path.
/// </para>
/// </remarks>
public sealed class SqlitePredictionLog : IPredictionLog, IDisposable
{
    private readonly TimeSpan _lockTimeout;
    private readonly SemaphoreSlim _processWriters;
    private readonly string _connectionString;
    private volatile bool _schemaChecked;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqlitePredictionLog"/> class.</summary>
    /// <param name="options">The database file and the lock timeout: the same options as the <see cref="SqliteModelStore"/> on that file; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every problem is listed.</exception>
    /// <remarks>The constructor does no I/O.</remarks>
    public SqlitePredictionLog(SqliteModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _lockTimeout = options.LockTimeout;
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _processWriters = SqliteWriters.For(DatabasePath);
        _connectionString = SqliteConnections.ConnectionString(DatabasePath, options.LockTimeout);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The file cannot be written, or another writer held the lock longer than <see cref="SqliteModelStoreOptions.LockTimeout"/>; nothing of the batch is stored.</exception>
    /// <exception cref="ModelStoreCorruptedException">The file is not a PatternQuality database.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public async Task AppendAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken = default)
    {
        PredictionLogArguments.Check(predictions);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (predictions.Count == 0)
        {
            return;
        }

        await WriteAsync(
            (connection, transaction) =>
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO pq_predictions (pattern_id, model_version, confidence_score, predicted_approved, was_correct, user_id, created_at)
                    VALUES ($pattern_id, $model_version, $score, $approved, NULL, $user_id, $created_at);
                    """;
                var pattern = insert.Parameters.Add("$pattern_id", SqliteType.Text);
                var version = insert.Parameters.Add("$model_version", SqliteType.Text);
                var score = insert.Parameters.Add("$score", SqliteType.Real);
                var approved = insert.Parameters.Add("$approved", SqliteType.Integer);
                var user = insert.Parameters.Add("$user_id", SqliteType.Text);
                var at = insert.Parameters.Add("$created_at", SqliteType.Text);
                insert.Prepare();
                foreach (var p in predictions)
                {
                    pattern.Value = p.PatternId;
                    version.Value = p.ModelVersion;
                    score.Value = (double)p.Score;
                    approved.Value = p.PredictedApproved ? 1 : 0;
                    user.Value = (object?)p.UserId ?? DBNull.Value;
                    at.Value = p.Timestamp.ToString("O", CultureInfo.InvariantCulture);
                    insert.ExecuteNonQuery();
                }

                return 0;
            },
            "no prediction of the batch was stored",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The file cannot be written, or another writer held the lock too long; nothing was changed.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public Task<int> ResolveAsync(IReadOnlyList<PredictionOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        var verdicts = PredictionLogArguments.FirstOutcomes(outcomes);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (verdicts.Count == 0)
        {
            return Task.FromResult(0);
        }

        return WriteAsync(
            (connection, transaction) =>
            {
                using var update = connection.CreateCommand();
                update.Transaction = transaction;
                update.CommandText = "UPDATE pq_predictions SET was_correct = (predicted_approved = $approved) WHERE pattern_id = $pattern_id AND was_correct IS NULL;";
                var pattern = update.Parameters.Add("$pattern_id", SqliteType.Text);
                var approved = update.Parameters.Add("$approved", SqliteType.Integer);
                update.Prepare();
                var resolved = 0;
                foreach (var (id, outcome) in verdicts)
                {
                    pattern.Value = id;
                    approved.Value = outcome == FeedbackOutcome.Approved ? 1 : 0;
                    resolved += update.ExecuteNonQuery();
                }

                return resolved;
            },
            "no prediction was resolved",
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreCorruptedException">The file is not a PatternQuality database.</exception>
    public Task<IReadOnlyList<PredictionRecord>> ReadAsync(string patternId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patternId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = Open(create: false);
            var list = new List<PredictionRecord>();
            if (connection is null)
            {
                return Task.FromResult<IReadOnlyList<PredictionRecord>>(list);
            }

            using var select = connection.CreateCommand();
            select.CommandText = """
                SELECT pattern_id, model_version, confidence_score, predicted_approved, was_correct, user_id, created_at
                FROM pq_predictions WHERE pattern_id = $pattern_id ORDER BY prediction_id;
                """;
            select.Parameters.AddWithValue("$pattern_id", patternId);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                try
                {
                    list.Add(new PredictionRecord(
                        reader.GetString(0),
                        reader.GetString(1),
                        (float)reader.GetDouble(2),
                        reader.GetInt64(3) != 0,
                        DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
                    {
                        WasCorrect = reader.IsDBNull(4) ? null : reader.GetInt64(4) != 0,
                        UserId = reader.IsDBNull(5) ? null : reader.GetString(5),
                    });
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidCastException)
                {
                    throw new ModelStoreCorruptedException(DatabasePath, $"a prediction of pattern '{patternId}' in table pq_predictions cannot be read: {ex.Message}", ex);
                }
            }

            return Task.FromResult<IReadOnlyList<PredictionRecord>>(list);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, "nothing was read");
        }
    }

    /// <summary>Closes this log's pooled connections (the file stays as it is). Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<int> WriteAsync(Func<SqliteConnection, SqliteTransaction, int> write, string consequence, CancellationToken cancellationToken)
    {
        if (!await _processWriters.WaitAsync(_lockTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ModelStoreAccessException(DatabasePath, $"Timed out after {_lockTimeout} waiting for another writer in this process to finish with the SQLite database '{DatabasePath}'; {consequence}.");
        }

        try
        {
            using var connection = Open(create: true)!;
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, consequence);
        }
        finally
        {
            _processWriters.Release();
        }
    }

    private SqliteConnection? Open(bool create)
    {
        var connection = SqliteConnections.Open(DatabasePath, _connectionString, _lockTimeout, "prediction log", ensureSchema: !_schemaChecked, create);
        if (connection is not null)
        {
            _schemaChecked = true;
        }

        return connection;
    }

    private Exception Translate(SqliteException ex, string consequence) => ex.SqliteErrorCode switch
    {
        5 or 6 => new ModelStoreAccessException(DatabasePath, $"Timed out after {_lockTimeout} waiting for another writer to release the SQLite database '{DatabasePath}' (SQLite: {ex.Message}); {consequence}.", ex),
        11 or 26 => new ModelStoreCorruptedException(DatabasePath, $"SQLite cannot read it ({ex.Message}); restore it from a backup.", ex),
        _ => new ModelStoreAccessException(DatabasePath, $"The SQLite prediction log '{DatabasePath}' cannot be used ({ex.Message}); {consequence}.", ex),
    };
}
