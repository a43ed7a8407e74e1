using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Hosting.Internal;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>UsePredictionLog</c> on the builder <c>AddPatternQuality&lt;TPattern&gt;()</c> returns: served scores recorded, and closed by their feedback.</summary>
public static class PredictionLogBuilderExtensions
{
    /// <summary>
    /// Records the scores the host serves in an <see cref="IPredictionLog"/> through a <see cref="PredictionRecorder"/>,
    /// and closes each recorded prediction (<see cref="PredictionRecord.WasCorrect"/>) when <see cref="FeedbackIngestion{TPattern}"/>
    /// takes feedback whose id is the prediction's pattern id.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures <see cref="PredictionRecorderOptions"/> (queue capacity, batch size, decision threshold), validated when the host starts; or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// The log is the <see cref="IPredictionLog"/> the host registers (for example <c>UsePostgreSqlPredictionLog()</c> of the
    /// PostgreSQL package, or an <see cref="InMemoryPredictionLog"/>), before or after this call. Without one, it is a
    /// <see cref="SqlitePredictionLog"/> in the registered <see cref="SqliteModelStore"/>'s file (the hosted lifecycle's
    /// default database included); any other model store needs a registered log, and resolving the recorder fails
    /// naming the fix.
    /// </para>
    /// <para>
    /// <c>MapPatternQuality</c>'s <c>POST /score</c> records every served score and answers its prediction ids; a host that
    /// scores on its own calls <see cref="PredictionRecorder.TryRecord(string, string, float, string?)"/> with the id its
    /// feedback will carry. Recording never holds scoring up: the recorder queues, writes in batches in the background,
    /// and drops (and counts) what does not fit. The recorder is a singleton disposed with the container, which writes
    /// what is still queued, so a prediction served before a clean shutdown is closed by feedback after the restart.
    /// Hosts that do not call this method record nothing and answer as before.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UsePredictionLog<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<PredictionRecorderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<PredictionRecorderOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PredictionRecorderOptions>, PredictionRecorderOptionsValidator>());
        services.TryAddSingleton<IPredictionLog>(DefaultLog);
        services.TryAddSingleton(sp => new PredictionRecorder(
            sp.GetRequiredService<IPredictionLog>(),
            sp.GetRequiredService<IOptions<PredictionRecorderOptions>>().Value,
            sp.GetService<ILogger<PredictionRecorder>>(),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    // The log beside the models when they are in SQLite: one file holds models, feedback and the predictions they closed.
    private static IPredictionLog DefaultLog(IServiceProvider services) =>
        services.GetRequiredService<IModelStore>() switch
        {
            SqliteModelStore sqlite => new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = sqlite.DatabasePath }),
            var other => throw new InvalidOperationException(
                $"UsePredictionLog() keeps predictions beside an SQLite model store; the model store is a {other.GetType().Name}: register an IPredictionLog "
                + "(UsePostgreSqlPredictionLog() of PatternQuality.Storage.PostgreSql, services.AddSingleton<IPredictionLog>(...), or an InMemoryPredictionLog)."),
        };
}
