using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace PatternQuality.Storage.PostgreSql;

/// <summary>Options for <see cref="PostgreSqlModelStore"/>.</summary>
public class PostgreSqlModelStoreOptions
{
    /// <summary>The default <see cref="ModelType"/>: the value of <c>ml_models.model_type</c> this library's rows carry.</summary>
    public const string DefaultModelType = "pattern_quality";

    /// <summary>Gets or sets the Npgsql connection string (<c>Host=...;Port=...;Username=...;Database=...</c>).</summary>
    /// <value>The default value is an empty string, which is invalid: a connection string must be set.</value>
    /// <remarks>
    /// A <c>postgresql://user:password@host:port/database</c> URL is accepted by <see cref="TryParseLocation"/>, which
    /// turns it into a connection string. The user needs <c>CREATE</c> on <see cref="Schema"/> the first time (the
    /// tables are created idempotently), then <c>SELECT</c>, <c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c> on them.
    /// </remarks>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the schema that holds <c>ml_models</c>.</summary>
    /// <value>The default value is <c>public</c>.</value>
    /// <remarks>Letters, digits and '_' only, starting with a letter or '_', at most 63 characters; it is created if missing.</remarks>
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the <c>ml_models.model_type</c> of this store's rows: stores with different types share the table and never see each other's versions.</summary>
    /// <value>The default value is <see cref="DefaultModelType"/>.</value>
    /// <remarks>1 to 50 characters (seed 003 declares the column <c>VARCHAR(50)</c>). One version per type is active (a partial unique index).</remarks>
    public string ModelType { get; set; } = DefaultModelType;

    /// <summary>Gets or sets how long a write waits for another writer (in this or another instance) to finish its transaction.</summary>
    /// <value>The default value is 30 seconds.</value>
    /// <remarks>Between 100 ms and 10 minutes. It becomes the transaction's <c>lock_timeout</c> for the store's advisory lock.</remarks>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads a store location: a <c>postgresql://</c> (or <c>postgres://</c>) URL, or an Npgsql connection string (<c>Host=...</c>).</summary>
    /// <param name="location">The location, for example a command-line value.</param>
    /// <param name="options">The options with <see cref="ConnectionString"/> set and the other settings at their defaults, when the location is a PostgreSQL one.</param>
    /// <returns><see langword="true"/> for a PostgreSQL URL or connection string; <see langword="false"/> for any other location (a directory, <c>sqlite:PATH</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is null.</exception>
    /// <exception cref="ArgumentException">It is a PostgreSQL URL or connection string but malformed; the message says what is wrong, never the password.</exception>
    /// <remarks>
    /// The URL form is <c>postgresql://[user[:password]@]host[:port][/database][?schema=S&amp;model_type=T]</c>; user,
    /// password and database may be percent-encoded. A connection string is recognised by a <c>Host=</c> or
    /// <c>Server=</c> key. Other URL parameters are refused rather than ignored.
    /// </remarks>
    public static bool TryParseLocation(string location, [NotNullWhen(true)] out PostgreSqlModelStoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(location);
        options = null;
        var trimmed = location.Trim();
        if (trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            options = Internal.PostgreSqlLocation.FromUrl(trimmed);
        }
        else if (Internal.PostgreSqlLocation.LooksLikeConnectionString(trimmed))
        {
            options = new PostgreSqlModelStoreOptions { ConnectionString = trimmed };
        }
        else
        {
            return false;
        }

        options.ThrowIfInvalid();
        return true;
    }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the allowed range, never the password.</exception>
    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }

    /// <summary>Lists every invalid setting (empty when all are valid), for <c>IValidateOptions</c> and <see cref="ThrowIfInvalid"/>.</summary>
    /// <returns>One message per problem, naming the setting and the allowed range, never the password.</returns>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{nameof(PostgreSqlModelStoreOptions)}.{nameof(ConnectionString)} must be set (Host=...;Username=...;Database=...).");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    errors.Add($"{nameof(PostgreSqlModelStoreOptions)}.{nameof(ConnectionString)} names no Host.");
                }
            }
            catch (ArgumentException ex)
            {
                // Npgsql's message names the bad key, not the value, so it cannot leak a password.
                errors.Add($"{nameof(PostgreSqlModelStoreOptions)}.{nameof(ConnectionString)} is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (!Internal.PostgreSqlSchema.IsIdentifier(Schema))
        {
            errors.Add($"{nameof(PostgreSqlModelStoreOptions)}.{nameof(Schema)} '{Schema}' is not a plain identifier: use up to 63 letters, digits and '_', starting with a letter or '_'.");
        }

        if (string.IsNullOrWhiteSpace(ModelType) || ModelType.Length > 50)
        {
            errors.Add($"{nameof(PostgreSqlModelStoreOptions)}.{nameof(ModelType)} '{ModelType}' must be 1 to 50 characters (ml_models.model_type is VARCHAR(50)).");
        }

        if (LockTimeout < TimeSpan.FromMilliseconds(100) || LockTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{nameof(PostgreSqlModelStoreOptions)}.{nameof(LockTimeout)} is {LockTimeout}; it must be between 00:00:00.1 and 00:10:00.");
        }

        return errors;
    }
}
