using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Hosting.Internal;
using PatternQuality.Storage;
using PatternQuality.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the hosted lifecycle, health check and durable feedback log to the builder <c>AddPatternQuality&lt;TPattern&gt;()</c> returns.</summary>
public static class PatternQualityHostingExtensions
{
    /// <summary>The name the PatternQuality health check is registered under.</summary>
    public const string HealthCheckName = "patternquality";

    /// <summary>
    /// Registers <see cref="PatternQualityHostedService{TPattern}"/> (load, first training, learner, follow, scheduled and
    /// drift retrains) and the <see cref="PatternQualityHealthCheck"/> under <see cref="HealthCheckName"/>.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures <see cref="PatternQualityHostingOptions"/> (validated when the host starts), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>Add <c>UseIncrementalLearning()</c> to learn between retrains; the lifecycle resumes and runs the learner once a model exists.</para>
    /// <para>
    /// Durable by default: when the host registers no model store, models and feedback go to one SQLite database,
    /// <see cref="PatternQualityHostingOptions.DatabasePath"/> (<c>patternquality.db</c> in the content root unless set).
    /// When it registers no feedback source, feedback goes to the model store's own: the same SQLite file, the
    /// <see cref="DurableFeedbackLog{TPattern}"/> in a <see cref="FileSystemModelStore"/>'s directory, or memory for other
    /// stores. Stores the host registers (before or after this call) are kept. <see cref="FeedbackIngestion{TPattern}"/>
    /// writes to the registered <see cref="IFeedbackStore{TPattern}"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> AddHostedLifecycle<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<PatternQualityHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<PatternQualityHostingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PatternQualityHostingOptions>, PatternQualityHostingOptionsValidator>());
        services.TryAddSingleton<PatternQualityHostState>();
        services.TryAddSingleton<PatternQualityHostedService<TPattern>>();
        if (!services.Any(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && d.ImplementationFactory?.Method.DeclaringType == typeof(HostedServiceFactory<TPattern>)))
        {
            services.AddHostedService(HostedServiceFactory<TPattern>.Create);
        }

        // Retrains run beside request handling: unless the host chose a thread count, a training leaves one core to
        // scoring (measured with benchmarks/ serve-load, docs/hosting.md "Load").
        services.PostConfigure<QualityTrainerOptions>(o =>
        {
            if (o.GradientBoosting is { } boosting)
            {
                boosting.NumberOfThreads ??= TrainingThreads;
            }

            if (o.RandomForest is { } forest)
            {
                forest.NumberOfThreads ??= TrainingThreads;
            }
        });
        services.AddHealthChecks().AddCheck<PatternQualityHealthCheck>(HealthCheckName);
        DefaultStores.Replace(builder);
        services.TryAddSingleton<FeedbackIngestion<TPattern>>();
        return builder;
    }

    /// <summary>
    /// Uses a <see cref="DurableFeedbackLog{TPattern}"/> in the <see cref="FileSystemModelStore"/>'s directory as the
    /// feedback store (the <see cref="IFeedbackStore{TPattern}"/> and <see cref="IFeedbackSource{TPattern}"/>), and registers
    /// <see cref="FeedbackIngestion{TPattern}"/> to write to it.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="jsonOptions">How patterns are serialized in the log; web defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Resolving the log fails with a message naming the fix when the registered store is not a <see cref="FileSystemModelStore"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseDurableFeedbackLog<TPattern>(this IPatternQualityBuilder<TPattern> builder, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PatternQualityHostingOptions>();
        services.TryAddSingleton(sp =>
        {
            var store = sp.GetRequiredService<IModelStore>() as FileSystemModelStore ?? throw new InvalidOperationException(
                "The durable feedback log lives in the model store's directory; register a FileSystemModelStore with UseModelStore.");
            return new DurableFeedbackLog<TPattern>(Path.Combine(store.Directory, sp.GetRequiredService<IOptions<PatternQualityHostingOptions>>().Value.FeedbackLogFileName), jsonOptions);
        });
        builder.UseFeedbackStore(sp => sp.GetRequiredService<DurableFeedbackLog<TPattern>>());
        services.TryAddSingleton<FeedbackIngestion<TPattern>>();
        return builder;
    }

    private static int TrainingThreads => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Resolves the lifecycle as the hosted service (one instance, also injectable by its own type).</summary>
    private static class HostedServiceFactory<TPattern>
    {
        public static PatternQualityHostedService<TPattern> Create(IServiceProvider sp) => sp.GetRequiredService<PatternQualityHostedService<TPattern>>();
    }
}
