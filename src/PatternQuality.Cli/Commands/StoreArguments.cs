using System.CommandLine;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Versioning;

namespace PatternQuality.Cli.Commands;

/// <summary>The <c>--store DIR|sqlite:PATH|postgresql://...</c> flag (and <c>--version V</c> where a command reads one version), and opening the store.</summary>
internal sealed class StoreArguments
{
    /// <param name="withVersion">Whether the command reads one version (<c>--version</c>).</param>
    /// <param name="versionDescription">The help of <c>--version</c>.</param>
    /// <param name="defaultLocation">The store used when <c>--store</c> is not given (<c>pq serve</c>'s embedded default); <see langword="null"/> makes <c>--store</c> required.</param>
    public StoreArguments(bool withVersion, string versionDescription = "The version id or alias (default: the active version).", string? defaultLocation = null)
    {
        if (defaultLocation is not null)
        {
            Store.Required = false;
            Store.DefaultValueFactory = _ => defaultLocation;
            Store.Description += $" Default: {defaultLocation}.";
        }

        if (withVersion)
        {
            Version = new Option<string?>("--version") { Description = versionDescription };
        }
    }

    public Option<string> Store { get; } = new("--store") { Description = "The model store: a directory, sqlite:PATH for an SQLite database file, or a PostgreSQL URL (postgresql://user@host:port/db) or Npgsql connection string (Host=...;Database=...).", Required = true };

    public Option<string?>? Version { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Store);
        if (Version is not null)
        {
            command.Options.Add(Version);
        }
    }

    public string? GetVersion(ParseResult result) => Version is null ? null : result.GetValue(Version);

    /// <summary>Opens the store's version manager.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="mustExist">Whether the directory (or database file) must already exist: true for commands that only read or change versions, so a mistyped path is an error rather than an empty store.</param>
    public ModelVersionManager Open(ParseResult result, bool mustExist) => Manager(OpenStore(result.GetValue(Store)!, mustExist));

    /// <summary>Opens the model store at a location: a directory, or <c>sqlite:PATH</c>.</summary>
    /// <param name="directory">The location as given on the command line.</param>
    /// <param name="mustExist">Whether the directory (or database file) must already exist.</param>
    public static IModelStore OpenStore(string directory, bool mustExist)
    {
        if (SqliteModelStoreOptions.TryParseLocation(directory, out var sqlite))
        {
            return OpenSqlite(sqlite, mustExist);
        }

        if (PostgreSqlModelStoreOptions.TryParseLocation(directory, out var postgreSql))
        {
            // A database that does not exist or cannot be reached is reported by the first operation, naming the store;
            // tables are created by the first write only, so a read-only command on an empty database lists nothing.
            postgreSql.LockTimeout = TimeSpan.FromSeconds(60);
            return new PostgreSqlModelStore(postgreSql);
        }

        if (File.Exists(directory))
        {
            throw new IOException($"The model store directory '{directory}' is a file, not a directory.");
        }

        if (mustExist && !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The model store directory '{directory}' does not exist.");
        }

        // Fail before long work: the store creates a missing last folder, but not a whole missing path.
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        if (!Directory.Exists(directory) && parent is not null && !Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"The model store directory '{directory}' does not exist, and neither does its parent '{parent}'; check the path.");
        }

        return FileStore(directory);
    }

    /// <summary>Fails fast when an existing store directory is read-only, before minutes of training are spent on a model that cannot be saved.</summary>
    public static void EnsureWritable(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var probe = Path.Combine(directory, ".pq-write-probe-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new ModelStoreAccessException(directory, $"The model store directory '{directory}' is not writable: {ex.Message}", ex);
        }
    }

    /// <summary>The one version manager a command uses over the store directory, with the default gate.</summary>
    public static ModelVersionManager OpenManager(string directory) => Manager(FileStore(directory));

    // A bounded wait: a writer holding the lock longer than this is reported (naming the lock file), not waited out.
    private static FileSystemModelStore FileStore(string directory) =>
        new(new FileSystemModelStoreOptions { Directory = directory, LockTimeout = TimeSpan.FromSeconds(60) });

    private static SqliteModelStore OpenSqlite(SqliteModelStoreOptions options, bool mustExist)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        if (mustExist && !File.Exists(path))
        {
            throw new FileNotFoundException($"The SQLite model store '{path}' does not exist.", path);
        }

        // Fail before long work: the store creates a missing file, but not its folder.
        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' of the SQLite model store '{path}' does not exist; check the path.");
        }

        options.LockTimeout = TimeSpan.FromSeconds(60);
        return new SqliteModelStore(options);
    }

    // Retention runs on each save (train): the newest 20, plus pinned, aliased and active versions, are kept.
    private static ModelVersionManager Manager(IModelStore store) => new(store, new ModelVersioningOptions { RetainCount = 20 });
}
