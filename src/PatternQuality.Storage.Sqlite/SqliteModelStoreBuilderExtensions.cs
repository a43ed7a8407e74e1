using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    public static IPatternQualityBuilder<TPattern> UseSqliteModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, string databasePath) =>
        UseSqliteModelStore(builder, o => o.DatabasePath = databasePath);

    /// <summary>Uses a <see cref="SqliteModelStore"/> configured by <paramref name="configure"/> as the model store.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets <see cref="SqliteModelStoreOptions.DatabasePath"/> and, optionally, the lock timeout.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The options are validated here, so a bad path fails at start-up rather than on the first save. The store is a
    /// singleton that uses the container's <see cref="TimeProvider"/> if one is registered, and is disposed with the
    /// container (which closes its pooled connections). It replaces any model store registered before.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IPatternQualityBuilder<TPattern> UseSqliteModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<SqliteModelStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteModelStoreOptions();
        configure(options);
        options.Validate();
        builder.Services.RemoveAll<IModelStore>();
        builder.Services.AddSingleton<IModelStore>(sp => new SqliteModelStore(options, sp.GetService<TimeProvider>()));
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
    public static IPatternQualityBuilder<TPattern> UseSqlite<TPattern>(this IPatternQualityBuilder<TPattern> builder, string databasePath, JsonSerializerOptions? jsonOptions = null) =>
        UseSqlite(builder, o => o.DatabasePath = databasePath, jsonOptions);

    /// <summary>Keeps models and feedback in one SQLite database file configured by <paramref name="configure"/> (see <see cref="UseSqlite{TPattern}(IPatternQualityBuilder{TPattern}, string, JsonSerializerOptions?)"/>).</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets <see cref="SqliteModelStoreOptions.DatabasePath"/> and, optionally, the lock timeout (shared by both roles).</param>
    /// <param name="jsonOptions">How patterns are serialized in the feedback table; web defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Both stores are singletons disposed with the container; they replace any model store and feedback source registered before.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IPatternQualityBuilder<TPattern> UseSqlite<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<SqliteModelStoreOptions> configure, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteModelStoreOptions();
        configure(options);
        options.Validate();
        UseSqliteModelStore(builder, o =>
        {
            o.DatabasePath = options.DatabasePath;
            o.LockTimeout = options.LockTimeout;
        });
        return builder.UseFeedbackStore(_ => new SqliteFeedbackStore<TPattern>(options, jsonOptions));
    }
}
