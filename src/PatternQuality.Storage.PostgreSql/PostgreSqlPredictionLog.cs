using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using PatternQuality.Feedback;
using PatternQuality.Storage.PostgreSql.Internal;

namespace PatternQuality.Storage.PostgreSql;

/// <summary>
/// An <see cref="IPredictionLog"/> on seed 003's <c>model_predictions</c> table, shared by every host instance on the
/// database: what each served (<c>confidence_score</c>, the decision, the model version) and, once the pattern's
/// feedback arrives, <c>was_correct</c>.
/// </summary>
/// <remarks>
/// <para>
/// Rows: <c>model_type</c> (this store's), <c>pattern_id</c>, <c>model_version</c> and <c>model_id</c> (the
/// <c>ml_models</c> row of that version when the table holds it, else <c>NULL</c>), <c>confidence_score</c> (the score
/// rounded to 4 decimals: the seed's <c>DECIMAL(5,4)</c>), <c>predicted_approved</c>, <c>prediction_value</c>
/// (<c>{"score": ..., "approved": ...}</c>, the seed's NOT NULL JSONB), <c>prediction_type</c> (the model type),
/// <c>user_id</c> (<c>''</c> when none: the seed declares it NOT NULL), <c>created_at</c> (UTC), <c>was_correct</c>.
/// </para>
/// <para>
/// A batch is one <c>INSERT ... SELECT FROM unnest(...)</c> statement (one round trip, one transaction); a resolution one
/// <c>UPDATE ... FROM unnest(...)</c> over the unresolved predictions of the patterns (a partial index). Hosts write
/// through <see cref="PredictionRecorder"/>, which batches them off the scoring path.
/// </para>
/// </remarks>
public sealed class PostgreSqlPredictionLog : IPredictionLog, IDisposable, IAsyncDisposable
{
    private const int MaximumUserIdLength = 255;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly string _models;
    private readonly string _schema;
    private readonly string _modelType;
    private readonly SchemaCheck _schemaCheck;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlPredictionLog"/> class.</summary>
    /// <param name="options">The connection, schema and model type: the same options as the <see cref="PostgreSqlModelStore"/> of the host; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; every problem is listed, never the password.</exception>
    /// <remarks>The constructor does no I/O: an unreachable server is reported by the first operation.</remarks>
    public PostgreSqlPredictionLog(PostgreSqlModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _schema = options.Schema;
        _modelType = options.ModelType;
        _table = PostgreSqlSchema.Quote(options.Schema) + ".model_predictions";
        _models = PostgreSqlSchema.Quote(options.Schema) + ".ml_models";
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Location = PostgreSqlLocation.Describe(builder, options.Schema, options.ModelType).Replace(".ml_models/", ".model_predictions/", StringComparison.Ordinal);
        _schemaCheck = new SchemaCheck(options.Schema, Location, requiredVersion: 3);
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Gets where the log is, for messages: <c>postgresql://user@host:port/database#schema.model_predictions/model_type</c> (never the password).</summary>
    public string Location { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A prediction is null, or its user id is longer than 255 characters (seed 003's <c>VARCHAR(255)</c>); nothing is stored.</exception>
    /// <exception cref="ModelStoreAccessException">The server cannot be reached; nothing of the batch is stored.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public async Task AppendAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken = default)
    {
        PredictionLogArguments.Check(predictions);
        for (var i = 0; i < predictions.Count; i++)
        {
            if (predictions[i].UserId is { Length: > MaximumUserIdLength } user)
            {
                throw new ArgumentException($"Prediction {i} of the batch has a user id of {user.Length} characters; model_predictions.user_id holds {MaximumUserIdLength}.", nameof(predictions));
            }
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (predictions.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            async connection =>
            {
                // One statement: the rows, their ml_models row when it exists (by version), in the given order.
                await using var insert = new NpgsqlCommand(
                    $"""
                    INSERT INTO {_table} (model_type, prediction_type, pattern_id, model_version, model_id, confidence_score, predicted_approved, prediction_value, user_id, created_at)
                    SELECT $1, $1, i.pattern_id, i.version, m.model_id, round(i.score::numeric, 4), i.approved,
                           jsonb_build_object('score', i.score, 'approved', i.approved), i.user_id, i.created_at
                    FROM unnest($2::text[], $3::text[], $4::real[], $5::boolean[], $6::text[], $7::timestamp[]) WITH ORDINALITY
                         AS i(pattern_id, version, score, approved, user_id, created_at, position)
                    LEFT JOIN {_models} m ON m.model_type = $1 AND m.version = i.version
                    ORDER BY i.position;
                    """,
                    connection);
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _modelType });
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = predictions.Select(p => p.PatternId).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = predictions.Select(p => p.ModelVersion).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = predictions.Select(p => p.Score).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = predictions.Select(p => p.PredictedApproved).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = predictions.Select(p => p.UserId ?? string.Empty).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp, Value = predictions.Select(p => DateTime.SpecifyKind(p.Timestamp.UtcDateTime, DateTimeKind.Unspecified)).ToArray() });
                return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            create: true,
            "no prediction of the batch was stored",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The server cannot be reached; nothing was changed.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public async Task<int> ResolveAsync(IReadOnlyList<PredictionOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        var verdicts = PredictionLogArguments.FirstOutcomes(outcomes);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (verdicts.Count == 0)
        {
            return 0;
        }

        return await ExecuteAsync(
            async connection =>
            {
                await using var update = new NpgsqlCommand(
                    $"""
                    UPDATE {_table} p SET was_correct = (p.predicted_approved = o.approved)
                    FROM unnest($2::text[], $3::boolean[]) AS o(pattern_id, approved)
                    WHERE p.model_type = $1 AND p.pattern_id = o.pattern_id AND p.was_correct IS NULL;
                    """,
                    connection);
                update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _modelType });
                update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = verdicts.Keys.ToArray() });
                update.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = verdicts.Values.Select(o => o == FeedbackOutcome.Approved).ToArray() });
                return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            create: false,
            "no prediction was resolved",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ModelStoreAccessException">The server cannot be reached.</exception>
    /// <exception cref="ModelStoreCorruptedException">A row lacks the columns this log writes.</exception>
    public async Task<IReadOnlyList<PredictionRecord>> ReadAsync(string patternId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patternId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var list = new List<PredictionRecord>();
        await ExecuteAsync(
            async connection =>
            {
                await using var select = new NpgsqlCommand(
                    $"""
                    SELECT pattern_id, model_version, (prediction_value->>'score')::real, predicted_approved, was_correct, user_id, created_at
                    FROM {_table} WHERE model_type = $1 AND pattern_id = $2 ORDER BY seq;
                    """,
                    connection);
                select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _modelType });
                select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = patternId });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        var user = reader.GetString(5);
                        list.Add(new PredictionRecord(
                            reader.GetString(0),
                            reader.GetString(1),
                            reader.GetFloat(2),
                            reader.GetBoolean(3),
                            new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)))
                        {
                            WasCorrect = reader.IsDBNull(4) ? null : reader.GetBoolean(4),
                            UserId = user.Length == 0 ? null : user,
                        });
                    }
                    catch (Exception ex) when (ex is InvalidCastException or ArgumentException)
                    {
                        throw new ModelStoreCorruptedException(Location, $"a prediction of pattern '{patternId}' in table model_predictions cannot be read: {ex.Message}", ex);
                    }
                }

                return list.Count;
            },
            create: false,
            "nothing was read",
            cancellationToken).ConfigureAwait(false);
        return list;
    }

    /// <summary>Closes this log's pooled connections (the data stays as it is). Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Closes this log's pooled connections (the data stays as it is). Calling it again does nothing.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs one statement on a pooled connection; reads and resolutions before the table exists do nothing and return 0.</summary>
    private async Task<int> ExecuteAsync(Func<NpgsqlConnection, Task<int>> run, bool create, string consequence, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!await _schemaCheck.EnsureAsync(connection, create, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            return await run(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw ex is PostgresException pg
                ? new ModelStoreAccessException(Location, string.Create(CultureInfo.InvariantCulture, $"The PostgreSQL prediction log '{Location}' cannot be used ({pg.SqlState} {pg.MessageText}); {consequence}."), ex)
                : new ModelStoreAccessException(Location, $"The PostgreSQL prediction log '{Location}' cannot be reached ({ex.Message}); {consequence}.", ex);
        }
    }

}
