using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;
using PatternQuality.Storage.PostgreSql.Internal;

namespace PatternQuality.Storage.PostgreSql;

/// <summary>Options for <see cref="PostgreSqlModelStore"/>, <see cref="PostgreSqlFeedbackStore{TPattern}"/> and <see cref="PostgreSqlPredictionLog"/>.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="PostgreSqlModelStoreOptionsValidator"/>: at host start when registered
/// with <c>UsePostgreSqlModelStore</c> (<c>ValidateOnStart</c>), and by the same validator in the constructors when
/// used without a container; every problem is reported in one <see cref="OptionsValidationException"/>, never with the
/// password.
/// </remarks>
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
    [NpgsqlConnectionString]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the schema that holds <c>ml_models</c>.</summary>
    /// <value>The default value is <c>public</c>.</value>
    /// <remarks>Letters, digits and '_' only, starting with a letter or '_', at most 63 characters; it is created if missing.</remarks>
    [SqlIdentifier]
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the <c>ml_models.model_type</c> of this store's rows: stores with different types share the table and never see each other's versions.</summary>
    /// <value>The default value is <see cref="DefaultModelType"/>.</value>
    /// <remarks>1 to 50 characters (seed 003 declares the column <c>VARCHAR(50)</c>). One version per type is active (a partial unique index).</remarks>
    [Required]
    [StringLength(50, ErrorMessage = "The field {0} must be 1 to 50 characters (ml_models.model_type is VARCHAR(50)).")]
    public string ModelType { get; set; } = DefaultModelType;

    /// <summary>Gets or sets how long a write waits for another writer (in this or another instance) to finish its transaction.</summary>
    /// <value>The default value is 30 seconds. Allowed: 100 ms to 10 minutes.</value>
    /// <remarks>It becomes the transaction's <c>lock_timeout</c> for the store's advisory lock.</remarks>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
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

        try
        {
            options.ThrowIfInvalid();
        }
        catch (OptionsValidationException ex)
        {
            // A malformed command-line value is a bad argument, not a bad configuration (the messages never hold the password).
            options = null;
            throw new ArgumentException($"The PostgreSQL location is not valid: {ex.Message}", nameof(location), ex);
        }

        return true;
    }

    /// <summary>Runs the validator a host runs at start.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are invalid, listed all at once, never with the password.</exception>
    internal void ThrowIfInvalid() => OptionsValidation.ThrowIfInvalid(this, new PostgreSqlModelStoreOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="PostgreSqlModelStoreOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlModelStoreOptionsValidator : IValidateOptions<PostgreSqlModelStoreOptions>;
