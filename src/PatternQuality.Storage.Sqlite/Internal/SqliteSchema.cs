using Microsoft.Data.Sqlite;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>The store's tables, created idempotently, and the marks that tell a PatternQuality database from another.</summary>
internal static class SqliteSchema
{
    /// <summary>The schema this library writes and reads (<c>PRAGMA user_version</c>).</summary>
    /// <remarks>
    /// 1: models only; 2 adds <c>pq_feedback</c>; 3 adds <c>pq_predictions</c> (an older file gains the missing tables,
    /// idempotently, when next opened by any of the stores).
    /// </remarks>
    public const int Version = 3;

    /// <summary>'PQMS' (<c>PRAGMA application_id</c>): another application's database is refused, never written to.</summary>
    public const int ApplicationId = 0x50514D53;

    /// <summary>How many activations the history keeps, as the file store's manifest does.</summary>
    public const int MaxActivations = 200;

    // seq keeps save order (ListAsync is oldest first); length and sha256 are what every load verifies the content
    // against. Metadata scalars are columns so that operators can query them; the collections are JSON text.
    // pq_feedback.sequence is the rowid, given as max + 1 inside the append's write transaction (rows are never
    // deleted), so sequence order is commit order; the UNIQUE id is what makes appends idempotent.
    // pq_predictions is seed 003's model_predictions in SQLite's types: one row per served prediction, was_correct NULL
    // until the pattern's feedback resolves it (looked up by pattern_id, hence the index).
    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS pq_models (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            version TEXT NOT NULL UNIQUE,
            parent_version TEXT NULL,
            created_at TEXT NOT NULL,
            schema_hash TEXT NULL,
            watermark_sequence INTEGER NOT NULL,
            training_rows INTEGER NOT NULL,
            metrics TEXT NOT NULL,
            properties TEXT NOT NULL,
            aliases TEXT NOT NULL,
            pinned INTEGER NOT NULL,
            promoted INTEGER NULL,
            decision TEXT NULL,
            length INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            content BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS pq_store (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            active_version TEXT NULL);
        INSERT OR IGNORE INTO pq_store (id, active_version) VALUES (1, NULL);
        CREATE TABLE IF NOT EXISTS pq_activations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            version TEXT NOT NULL,
            previous TEXT NULL,
            at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS pq_feedback (
            sequence INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            approved INTEGER NOT NULL,
            timestamp TEXT NOT NULL,
            weight REAL NOT NULL,
            relevance REAL NULL,
            user_id TEXT NULL,
            group_id TEXT NULL,
            pattern TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS pq_predictions (
            prediction_id INTEGER PRIMARY KEY,
            pattern_id TEXT NOT NULL,
            model_version TEXT NOT NULL,
            confidence_score REAL NOT NULL,
            predicted_approved INTEGER NOT NULL,
            was_correct INTEGER NULL,
            user_id TEXT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS pq_predictions_pattern ON pq_predictions (pattern_id);
        """;

    /// <summary>Switches the file to WAL mode and creates the tables, or checks that an existing database is ours.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="path">The database path, for error messages.</param>
    /// <exception cref="ModelStoreCorruptedException">The file is another application's database, or a newer schema.</exception>
    public static void Ensure(SqliteConnection connection, string path)
    {
        // journal_mode cannot change inside a transaction, and WAL is persistent: once set, every later connection
        // (in any process) opens the file in WAL mode.
        var mode = Scalar(connection, null, "PRAGMA journal_mode = WAL;") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelStoreAccessException(path, $"The SQLite model store '{path}' cannot use WAL mode (journal mode is '{mode}'); put it on a local disk.");
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var applicationId = Convert.ToInt64(Scalar(connection, transaction, "PRAGMA application_id;"), System.Globalization.CultureInfo.InvariantCulture);
        var userVersion = Convert.ToInt64(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (applicationId == ApplicationId && userVersion == Version)
        {
            return;
        }

        if (applicationId != 0 && applicationId != ApplicationId)
        {
            throw new ModelStoreCorruptedException(path, $"it is another application's SQLite database (application_id 0x{applicationId:X8}), not a PatternQuality model store; choose another file.");
        }

        if (applicationId == ApplicationId && userVersion > Version)
        {
            throw new ModelStoreCorruptedException(path, $"its schema version is {userVersion}, newer than this library reads ({Version}); upgrade PatternQuality.Storage.Sqlite.");
        }

        if (applicationId == 0 && Scalar(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%';") is long tables && tables > 0)
        {
            throw new ModelStoreCorruptedException(path, $"it is an SQLite database with {tables} tables or indexes of another application, not a PatternQuality model store; choose another file.");
        }

        Execute(connection, transaction, CreateTables + $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {Version};");
        transaction.Commit();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
