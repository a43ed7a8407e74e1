using System.Diagnostics.CodeAnalysis;

namespace PatternQuality.Storage.Sqlite;

/// <summary>Options for <see cref="SqliteModelStore"/>.</summary>
public class SqliteModelStoreOptions
{
    /// <summary>The prefix that marks a store location as an SQLite database file: <c>sqlite:PATH</c>, as <c>pq --store</c> takes it.</summary>
    public const string LocationPrefix = "sqlite:";

    /// <summary>Gets or sets the path of the SQLite database file.</summary>
    /// <value>The default value is an empty string, which is invalid: a path must be set.</value>
    /// <remarks>
    /// A relative path is resolved against the current directory when the store is created. The file is created on the
    /// first write if its folder exists; SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it while it is in use.
    /// The file must be on a local disk: WAL mode needs shared memory, which network file systems do not provide.
    /// </remarks>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>Gets or sets how long a write waits for another writer (in this or another process) to finish its transaction.</summary>
    /// <value>The default value is 30 seconds.</value>
    /// <remarks>
    /// Must be between 0 and 10 minutes. It becomes SQLite's busy timeout; Microsoft.Data.Sqlite retries a busy
    /// statement for at least one second more, so a value below one second waits about one second.
    /// </remarks>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads a store location of the form <c>sqlite:PATH</c> (see <see cref="LocationPrefix"/>).</summary>
    /// <param name="location">The location, for example a command-line value.</param>
    /// <param name="options">The options with <see cref="DatabasePath"/> set and the other settings at their defaults, when the location is an SQLite one.</param>
    /// <returns><see langword="true"/> when <paramref name="location"/> starts with <c>sqlite:</c>; <see langword="false"/> for any other location (a directory, a URL).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is null.</exception>
    /// <exception cref="ArgumentException">It starts with <c>sqlite:</c> but the path after it is empty or not a file path.</exception>
    public static bool TryParseLocation(string location, [NotNullWhen(true)] out SqliteModelStoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(location);
        options = null;
        if (!location.StartsWith(LocationPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parsed = new SqliteModelStoreOptions { DatabasePath = location[LocationPrefix.Length..] };
        parsed.Validate();
        options = parsed;
        return true;
    }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the allowed range.</exception>
    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            errors.Add($"{nameof(SqliteModelStoreOptions)}.{nameof(DatabasePath)} must be set to the database file's path.");
        }
        else if (DatabasePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || DatabasePath.StartsWith(':') || DatabasePath.Contains('?', StringComparison.Ordinal))
        {
            // ':memory:' and URI parameters would silently give a store that other processes cannot see.
            errors.Add($"{nameof(SqliteModelStoreOptions)}.{nameof(DatabasePath)} '{DatabasePath}' is not a file path (':memory:' and URI parameters are not supported).");
        }

        if (LockTimeout < TimeSpan.Zero || LockTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{nameof(SqliteModelStoreOptions)}.{nameof(LockTimeout)} is {LockTimeout}; it must be between 00:00:00 and 00:10:00.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }
}
