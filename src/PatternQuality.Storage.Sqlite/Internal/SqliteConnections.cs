using Microsoft.Data.Sqlite;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>Opens connections to a PatternQuality database the one way both stores (models and feedback) need.</summary>
internal static class SqliteConnections
{
    /// <summary>The connection string both stores use for the file at <paramref name="databasePath"/>.</summary>
    public static string ConnectionString(string databasePath, TimeSpan lockTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,

        // Microsoft.Data.Sqlite retries a busy statement until this many seconds have passed (0 would mean forever);
        // SQLite's own busy handler (PRAGMA busy_timeout in Open) does the waiting within it.
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(lockTimeout.TotalSeconds)),
    }.ToString();

    /// <summary>Opens a connection, or returns <see langword="null"/> for a missing file when <paramref name="create"/> is false.</summary>
    /// <param name="databasePath">The full path of the database file.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="lockTimeout">How long SQLite's busy handler waits for another writer.</param>
    /// <param name="role">"model store" or "feedback store", for messages.</param>
    /// <param name="ensureSchema">Whether to create or check the tables (once per store instance).</param>
    /// <param name="create">Whether a missing database file is created (writes) or reported as <see langword="null"/> (reads: an absent store reads as empty).</param>
    /// <exception cref="ModelStoreAccessException">The path is a directory, or the file's folder does not exist.</exception>
    public static SqliteConnection? Open(string databasePath, string connectionString, TimeSpan lockTimeout, string role, bool ensureSchema, bool create)
    {
        if (Directory.Exists(databasePath))
        {
            throw new ModelStoreAccessException(databasePath, $"The SQLite {role} path '{databasePath}' is a directory, not a database file.");
        }

        if (!File.Exists(databasePath))
        {
            if (!create)
            {
                return null;
            }

            var folder = Path.GetDirectoryName(databasePath);
            if (folder is not null && !Directory.Exists(folder))
            {
                throw new ModelStoreAccessException(databasePath, $"The SQLite {role} '{databasePath}' cannot be created: its folder '{folder}' does not exist. Check the path.");
            }
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();

            // Per connection: wait for other writers (SQLite's busy handler), and fsync the WAL on every commit so an
            // acknowledged change survives a power cut, not only a process crash.
            SqliteSchema.Execute(connection, null, $"PRAGMA busy_timeout = {(long)lockTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;");
            if (ensureSchema)
            {
                SqliteSchema.Ensure(connection, databasePath);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
