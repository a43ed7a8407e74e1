using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>UsePostgreSqlModelStore</c> on the builder <c>AddPatternQuality&lt;TPattern&gt;()</c> returns. It lives in this
/// namespace, as the core package's <c>Use*</c> methods do, so a host needs no extra <c>using</c>.
/// </summary>
public static class PostgreSqlModelStoreBuilderExtensions
{
    /// <summary>Uses a <see cref="PostgreSqlModelStore"/> at <paramref name="location"/> as the model store.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="location">A <c>postgresql://user@host:port/database</c> URL or an Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="location"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="location"/> is neither a PostgreSQL URL nor a valid connection string.</exception>
    public static IPatternQualityBuilder<TPattern> UsePostgreSqlModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!PostgreSqlModelStoreOptions.TryParseLocation(location, out var parsed))
        {
            throw new ArgumentException("The PostgreSQL model store location must be a postgresql://user@host:port/database URL or an Npgsql connection string (Host=...;Username=...;Database=...).", nameof(location));
        }

        return UsePostgreSqlModelStore(builder, o =>
        {
            o.ConnectionString = parsed.ConnectionString;
            o.Schema = parsed.Schema;
            o.ModelType = parsed.ModelType;
        });
    }

    /// <summary>Uses a <see cref="PostgreSqlModelStore"/> configured by <paramref name="configure"/> (and by configuration bound to <see cref="PostgreSqlModelStoreOptions"/>) as the model store.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets <see cref="PostgreSqlModelStoreOptions.ConnectionString"/> and, optionally, the schema, model type and lock timeout.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The options are validated when the host starts (<c>ValidateOnStart</c>: every problem at once, before the first
    /// request), and again when the store is created. The store is a singleton that uses the container's
    /// <see cref="TimeProvider"/> if one is registered, and is disposed with the container (which closes its pooled
    /// connections). It replaces any model store registered before.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UsePostgreSqlModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<PostgreSqlModelStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgreSqlModelStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlModelStoreOptions>, PostgreSqlModelStoreOptionsValidator>());
        builder.Services.RemoveAll<IModelStore>();
        builder.Services.TryAddSingleton(sp => new PostgreSqlModelStore(sp.GetRequiredService<IOptions<PostgreSqlModelStoreOptions>>().Value, sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<IModelStore>(sp => sp.GetRequiredService<PostgreSqlModelStore>());
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlPredictionLog"/> on the model store's database (the same <see cref="PostgreSqlModelStoreOptions"/>,
    /// seed 003's <c>model_predictions</c>) as the <see cref="PatternQuality.Feedback.IPredictionLog"/>: the log the hosting
    /// package's <c>UsePredictionLog()</c> records served scores in.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder; call <c>UsePostgreSqlModelStore</c> on it too (before or after), which supplies the options.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The log is a singleton disposed with the container; it replaces any prediction log registered before.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UsePostgreSqlPredictionLog<TPattern>(this IPatternQualityBuilder<TPattern> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<PatternQuality.Feedback.IPredictionLog>();
        builder.Services.AddSingleton<PatternQuality.Feedback.IPredictionLog>(sp => new PostgreSqlPredictionLog(sp.GetRequiredService<IOptions<PostgreSqlModelStoreOptions>>().Value));
        return builder;
    }
}
