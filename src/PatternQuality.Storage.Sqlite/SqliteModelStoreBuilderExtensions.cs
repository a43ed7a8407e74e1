using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>UseSqlite</c> and <c>UseSqliteModelStore</c> on the builder <c>AddPatternQuality&lt;TPattern&gt;()</c> returns. It lives in this namespace,
/// as the core package's <c>Use*</c> methods do, so a host needs no extra <c>using</c>.
/// </summary>
public static class SqliteModelStoreBuilderExtensions
{
    /// <summary>Uses a <see cref="SqliteModelStore"/> over the database file at <paramref name="databasePath"/> as the model store.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file; created on the first write if its folder exists.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty or not a file path.</exception>
    public static IPatternQualityBuilder<TPattern> UseSqliteModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, string databasePath)
    {
        CheckPath(databasePath);
        return UseSqliteModelStore(builder, o => o.DatabasePath = databasePath);
    }

    /// <summary>Uses a <see cref="SqliteModelStore"/> configured by <paramref name="configure"/> as the model store.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets <see cref="SqliteModelStoreOptions.DatabasePath"/> and, optionally, the lock timeout.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The options are registered with <c>AddOptions&lt;SqliteModelStoreOptions&gt;().ValidateOnStart()</c>, so a bad
    /// path fails when the host starts (every problem in one <see cref="OptionsValidationException"/>) rather than on the
    /// first save. The store is a singleton that uses the container's <see cref="TimeProvider"/> if one is registered,
    /// and is disposed with the container (which closes its pooled connections). It replaces any model store registered
    /// before.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseSqliteModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<SqliteModelStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteModelStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteModelStoreOptions>, SqliteModelStoreOptionsValidator>());
        builder.Services.RemoveAll<IModelStore>();
        builder.Services.TryAddSingleton(sp => new SqliteModelStore(sp.GetRequiredService<IOptions<SqliteModelStoreOptions>>().Value, sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<IModelStore>(sp => sp.GetRequiredService<SqliteModelStore>());
        return builder;
    }

    /// <summary>
    /// Keeps models and feedback in one SQLite database file: a <see cref="SqliteModelStore"/> as the model store and a
    /// <see cref="SqliteFeedbackStore{TPattern}"/> on the same file as the feedback store (the
    /// <c>IFeedbackStore&lt;TPattern&gt;</c> hosts write to and the <c>IFeedbackSource&lt;TPattern&gt;</c> the learner reads).
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file; created on the first write if its folder exists.</param>
    /// <param name="jsonOptions">How patterns are serialized in the feedback table; web defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty or not a file path.</exception>
    public static IPatternQualityBuilder<TPattern> UseSqlite<TPattern>(this IPatternQualityBuilder<TPattern> builder, string databasePath, JsonSerializerOptions? jsonOptions = null)
    {
        CheckPath(databasePath);
        return UseSqlite(builder, o => o.DatabasePath = databasePath, jsonOptions);
    }

    /// <summary>Keeps models and feedback in one SQLite database file configured by <paramref name="configure"/> (see <see cref="UseSqlite{TPattern}(IPatternQualityBuilder{TPattern}, string, JsonSerializerOptions?)"/>).</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets <see cref="SqliteModelStoreOptions.DatabasePath"/> and, optionally, the lock timeout (shared by both roles).</param>
    /// <param name="jsonOptions">How patterns are serialized in the feedback table; web defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Both stores are singletons disposed with the container, built from the one validated
    /// <see cref="SqliteModelStoreOptions"/> (<c>ValidateOnStart</c>); they replace any model store and feedback source
    /// registered before.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseSqlite<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<SqliteModelStoreOptions> configure, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        UseSqliteModelStore(builder, configure);
        return builder.UseFeedbackStore(sp => new SqliteFeedbackStore<TPattern>(sp.GetRequiredService<IOptions<SqliteModelStoreOptions>>().Value, jsonOptions));
    }

    // A path given as an argument is checked now, as an argument: a mistyped literal fails at the line that wrote it.
    private static void CheckPath(string databasePath)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        try
        {
            new SqliteModelStoreOptions { DatabasePath = databasePath }.ThrowIfInvalid();
        }
        catch (OptionsValidationException ex)
        {
            throw new ArgumentException(ex.Message, nameof(databasePath), ex);
        }
    }
}
