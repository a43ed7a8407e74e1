using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;
using PatternQuality.Storage.Sqlite.Internal;

namespace PatternQuality.Storage.Sqlite;

/// <summary>Options for <see cref="SqliteModelStore"/>, <see cref="SqliteFeedbackStore{TPattern}"/> and <see cref="SqlitePredictionLog"/> (the three share one database file).</summary>
/// <remarks>
/// Validated by the source-generated <see cref="SqliteModelStoreOptionsValidator"/>: at host start when registered with
/// <c>UseSqlite</c> or <c>UseSqliteModelStore</c> (<c>ValidateOnStart</c>), and by the same validator in the
/// constructors when used without a container; every problem is reported in one <see cref="OptionsValidationException"/>.
/// </remarks>
public class SqliteModelStoreOptions
{
    /// <summary>The prefix that marks a store location as an SQLite database file: <c>sqlite:PATH</c>, as <c>pq --store</c> takes it.</summary>
    public const string LocationPrefix = "sqlite:";

    /// <summary>Gets or sets the path of the SQLite database file.</summary>
    /// <value>The default value is an empty string, which is invalid: a path must be set (not <c>:memory:</c>, no <c>?</c> parameters).</value>
    /// <remarks>
    /// A relative path is resolved against the current directory when the store is created. The file is created on the
    /// first write if its folder exists; SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it while it is in use.
    /// The file must be on a local disk: WAL mode needs shared memory, which network file systems do not provide.
    /// </remarks>
    [DatabaseFilePath(Required = true)]
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>Gets or sets how long a write waits for another writer (in this or another process) to finish its transaction.</summary>
    /// <value>The default value is 30 seconds. Allowed: 0 to 10 minutes.</value>
    /// <remarks>
    /// It becomes SQLite's busy timeout; Microsoft.Data.Sqlite retries a busy
    /// statement for at least one second more, so a value below one second waits about one second.
    /// </remarks>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
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
        try
        {
            parsed.ThrowIfInvalid();
        }
        catch (OptionsValidationException ex)
        {
            // A malformed command-line value is a bad argument, not a bad configuration.
            throw new ArgumentException($"The SQLite location '{location}' is not valid: {ex.Message}", nameof(location), ex);
        }

        options = parsed;
        return true;
    }

    /// <summary>Runs the validator a host runs at start.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are invalid, listed all at once.</exception>
    internal void ThrowIfInvalid() => OptionsValidation.ThrowIfInvalid(this, new SqliteModelStoreOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="SqliteModelStoreOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class SqliteModelStoreOptionsValidator : IValidateOptions<SqliteModelStoreOptions>;
