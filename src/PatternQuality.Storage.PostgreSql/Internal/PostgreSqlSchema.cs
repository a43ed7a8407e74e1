using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>
/// Seed 003's tables, created idempotently and migrated forward under one advisory lock, with a row per applied
/// migration in <c>pq_schema_migrations</c> so an operator can see what this library changed.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>The schema version this library writes and reads (the highest migration it knows).</summary>
    public const int Version = 3;

    /// <summary>The first key of every advisory lock this library takes ('PQ' and a purpose), so they never collide with a host's own.</summary>
    public const int StoreLockClass = 0x50510001;

    /// <summary>The first key of the training lock (one training at a time per model type).</summary>
    public const int TrainingLockClass = 0x50510002;

    /// <summary>The first key of the feedback append lock (one appender at a time per model type, so sequences become visible in order).</summary>
    public const int FeedbackLockClass = 0x50510003;

    /// <summary>The first key of the lock the migrations run under (second key 0): one migrator at a time per database.</summary>
    public const int MigrationLockClass = 0x50510000;

    /// <summary>The channel every activation is announced on (<c>NOTIFY</c>); the payload is <c>schema.model_type</c>.</summary>
    public const string ActivationChannel = "pq_model_activated";

    /// <summary>Whether <paramref name="name"/> can be used unquoted-safe as a schema name (we still quote it).</summary>
    public static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 63 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A stable 32-bit key for a store's advisory locks: the same in every process and PostgreSQL version (unlike <c>hashtext</c>).</summary>
    public static int LockKey(string schema, string modelType) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(schema + "\n" + modelType)), 0);

    /// <summary>Creates or migrates the tables when they are missing or older than <see cref="Version"/>; a no-op (one query) otherwise.</summary>
    /// <exception cref="ModelStoreCorruptedException">The schema is newer than this library reads, or the existing rows break a constraint it needs.</exception>
    public static async Task EnsureAsync(NpgsqlConnection connection, string schema, string location, CancellationToken cancellationToken)
    {
        if (await AppliedVersionAsync(connection, null, schema, cancellationToken).ConfigureAwait(false) is var applied && applied == Version)
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Two instances starting at once would race on CREATE TABLE IF NOT EXISTS (a unique violation in pg_type);
        // the lock makes the second wait and then find the work done.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockClass}, 0);", cancellationToken).ConfigureAwait(false);
        applied = await AppliedVersionAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
        if (applied > Version)
        {
            throw new ModelStoreCorruptedException(location, $"its schema version is {applied} (table {schema}.pq_schema_migrations), newer than this library reads ({Version}); upgrade PatternQuality.Storage.PostgreSql.");
        }

        if (applied < 1)
        {
            try
            {
                await ExecuteAsync(connection, transaction, Migration1(Quote(schema), schema), cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new ModelStoreCorruptedException(location, $"the existing rows of {schema}.ml_models break a constraint this store needs (one row per model_type and version, one active row per model_type): {ex.MessageText} {ex.Detail}", ex);
            }
        }

        if (applied < 2)
        {
            await ExecuteAsync(connection, transaction, Migration2(Quote(schema), schema), cancellationToken).ConfigureAwait(false);
        }

        if (applied < 3)
        {
            await ExecuteAsync(connection, transaction, Migration3(Quote(schema), schema), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> AppliedVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL;", connection, transaction);
        exists.Parameters.AddWithValue("name", Quote(schema) + ".pq_schema_migrations");
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            return 0;
        }

        await using var max = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {Quote(schema)}.pq_schema_migrations;", connection, transaction);
        return Convert.ToInt32(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Migration 1. Seed 003's ml_models as the seed declares it (a table the host created from the seed is kept, rows
    // and all), then what this store adds:
    // - version widened from VARCHAR(20) to VARCHAR(128): our version ids (ModelMetadata.ValidateVersion) are up to 128
    //   characters, and the ids ModelVersionManager generates are already longer than 20 (a column already wider,
    //   or TEXT, is left as it is);
    // - the metadata columns (nullable, so rows of other model types written by other code stay valid); created_at is
    //   ISO 8601 text because it keeps the writer's UTC offset, which TIMESTAMPTZ drops;
    // - content_length and sha256, which every load verifies model_data against;
    // - seq, the save order ListAsync returns;
    // - one row per (model_type, version), and one active row per model_type (a partial unique index), so two
    //   activations can never leave two active models whatever the code around them does.
    // schemaName is a checked identifier (IsIdentifier), so it is safe inside the string literals below.
    private static string Migration1(string s, string schemaName) => $"""
        CREATE SCHEMA IF NOT EXISTS {s};
        CREATE TABLE IF NOT EXISTS {s}.ml_models (
            model_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            model_type VARCHAR(50) NOT NULL,
            version VARCHAR(20) NOT NULL,
            model_data BYTEA,
            accuracy_score DECIMAL(5,4),
            training_samples INT,
            trained_at TIMESTAMP DEFAULT NOW(),
            is_active BOOLEAN DEFAULT false
        );
        DO $$ BEGIN
            IF (SELECT character_maximum_length FROM information_schema.columns
                WHERE table_schema = '{schemaName}' AND table_name = 'ml_models' AND column_name = 'version') < 128 THEN
                ALTER TABLE {s}.ml_models ALTER COLUMN version TYPE VARCHAR(128);
            END IF;
        END $$;
        ALTER TABLE {s}.ml_models
            ADD COLUMN IF NOT EXISTS seq BIGINT GENERATED BY DEFAULT AS IDENTITY,
            ADD COLUMN IF NOT EXISTS parent_version VARCHAR(128),
            ADD COLUMN IF NOT EXISTS created_at TEXT,
            ADD COLUMN IF NOT EXISTS schema_hash TEXT,
            ADD COLUMN IF NOT EXISTS watermark_sequence BIGINT,
            ADD COLUMN IF NOT EXISTS training_rows BIGINT,
            ADD COLUMN IF NOT EXISTS metrics JSONB,
            ADD COLUMN IF NOT EXISTS properties JSONB,
            ADD COLUMN IF NOT EXISTS aliases JSONB,
            ADD COLUMN IF NOT EXISTS pinned BOOLEAN,
            ADD COLUMN IF NOT EXISTS promoted BOOLEAN,
            ADD COLUMN IF NOT EXISTS decision TEXT,
            ADD COLUMN IF NOT EXISTS content_length BIGINT,
            ADD COLUMN IF NOT EXISTS sha256 CHAR(64),
            ADD COLUMN IF NOT EXISTS saved_at TIMESTAMPTZ,
            ADD COLUMN IF NOT EXISTS activated_at TIMESTAMPTZ;
        CREATE UNIQUE INDEX IF NOT EXISTS ml_models_type_version ON {s}.ml_models (model_type, version);
        CREATE UNIQUE INDEX IF NOT EXISTS ml_models_one_active ON {s}.ml_models (model_type) WHERE is_active;
        CREATE INDEX IF NOT EXISTS ml_models_type_seq ON {s}.ml_models (model_type, seq);
        CREATE TABLE IF NOT EXISTS {s}.pq_schema_migrations (
            version INT PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        INSERT INTO {s}.pq_schema_migrations (version, description) VALUES (1, 'ml_models (seed 003) created if missing; version widened from VARCHAR(20) to VARCHAR(128) for PatternQuality version ids; metadata, content_length, sha256, seq, saved_at, activated_at columns added; unique (model_type, version); one active row per model_type (partial unique index)')
        ON CONFLICT (version) DO NOTHING;
        COMMENT ON COLUMN {s}.ml_models.version IS 'PatternQuality version id (up to 128 characters; seed 003 declared VARCHAR(20), widened by migration 1 in {schemaName}.pq_schema_migrations)';
        """;

    // Migration 2. Seed 003's training_data as the seed declares it (kept, rows and all, when it exists), then what the
    // feedback store adds: the record's id (unique per model_type: appends are idempotent), its sequence (unique per
    // model_type: the watermark), weight, relevance and group. The pattern is feature_vector (JSONB), the outcome is
    // label ('approved' or 'rejected'), the time is created_at (UTC) and user_id is the user ('' when none, as the seed
    // declares it NOT NULL).
    private static string Migration2(string s, string schemaName) => $"""
        CREATE TABLE IF NOT EXISTS {s}.training_data (
            data_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id VARCHAR(255) NOT NULL,
            feature_vector JSONB NOT NULL,
            label VARCHAR(100) NOT NULL,
            created_at TIMESTAMP DEFAULT NOW()
        );
        ALTER TABLE {s}.training_data
            ADD COLUMN IF NOT EXISTS model_type VARCHAR(50),
            ADD COLUMN IF NOT EXISTS feedback_id TEXT,
            ADD COLUMN IF NOT EXISTS sequence BIGINT,
            ADD COLUMN IF NOT EXISTS weight REAL,
            ADD COLUMN IF NOT EXISTS relevance REAL,
            ADD COLUMN IF NOT EXISTS group_id TEXT;
        CREATE UNIQUE INDEX IF NOT EXISTS training_data_type_feedback_id ON {s}.training_data (model_type, feedback_id);
        CREATE UNIQUE INDEX IF NOT EXISTS training_data_type_sequence ON {s}.training_data (model_type, sequence);
        INSERT INTO {s}.pq_schema_migrations (version, description) VALUES (2, 'training_data (seed 003) created if missing; feedback_id (unique per model_type), sequence (unique per model_type), model_type, weight, relevance, group_id columns added for the feedback store of {schemaName}')
        ON CONFLICT (version) DO NOTHING;
        """;

    // Migration 3. Seed 003's model_predictions as the seed declares it (kept, rows and all, when it exists), then what
    // the prediction log adds: model_type (stores with different types share the table), pattern_id (the feedback id
    // that resolves the prediction), model_version (our version id: model_id is filled when ml_models holds that
    // version, but a learner's in-memory update serves versions never saved), predicted_approved (the served decision
    // that was_correct compares with the label). The seed's foreign key on model_id becomes ON DELETE SET NULL, or
    // retention could never delete a version that served predictions. Indexes: unresolved predictions by pattern (the
    // feedback path's lookup, partial so it stays small) and by time per model type (reports over a window).
    private static string Migration3(string s, string schemaName) => $"""
        CREATE TABLE IF NOT EXISTS {s}.model_predictions (
            prediction_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            model_id UUID REFERENCES {s}.ml_models(model_id),
            user_id VARCHAR(255) NOT NULL,
            prediction_type VARCHAR(50) NOT NULL,
            prediction_value JSONB NOT NULL,
            confidence_score DECIMAL(5,4),
            was_correct BOOLEAN,
            created_at TIMESTAMP DEFAULT NOW()
        );
        ALTER TABLE {s}.model_predictions
            ADD COLUMN IF NOT EXISTS model_type VARCHAR(50),
            ADD COLUMN IF NOT EXISTS pattern_id TEXT,
            ADD COLUMN IF NOT EXISTS model_version VARCHAR(128),
            ADD COLUMN IF NOT EXISTS predicted_approved BOOLEAN,
            ADD COLUMN IF NOT EXISTS seq BIGINT GENERATED BY DEFAULT AS IDENTITY;
        ALTER TABLE {s}.model_predictions DROP CONSTRAINT IF EXISTS model_predictions_model_id_fkey;
        ALTER TABLE {s}.model_predictions ADD CONSTRAINT model_predictions_model_id_fkey
            FOREIGN KEY (model_id) REFERENCES {s}.ml_models(model_id) ON DELETE SET NULL;
        CREATE INDEX IF NOT EXISTS model_predictions_unresolved ON {s}.model_predictions (model_type, pattern_id) WHERE was_correct IS NULL;
        CREATE INDEX IF NOT EXISTS model_predictions_type_created ON {s}.model_predictions (model_type, created_at);
        INSERT INTO {s}.pq_schema_migrations (version, description) VALUES (3, 'model_predictions (seed 003) created if missing; model_type, pattern_id, model_version, predicted_approved, seq columns added; model_id foreign key made ON DELETE SET NULL; indexes on unresolved predictions by pattern and on (model_type, created_at) for the prediction log of {schemaName}')
        ON CONFLICT (version) DO NOTHING;
        """;
}
