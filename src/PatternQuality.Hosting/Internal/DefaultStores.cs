using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// The hosted lifecycle's durable defaults. The core registers in-memory stores when the host registers none; a host
/// that runs unattended must not lose its models and feedback at every restart, so <c>AddHostedLifecycle</c> replaces
/// exactly those defaults (never a store the host chose, whatever the call order: a later <c>Use*</c> call replaces
/// these in turn): the model store becomes an SQLite database (<see cref="PatternQualityHostingOptions.DatabasePath"/>),
/// and feedback goes to the model store's own feedback role.
/// </summary>
internal sealed class DefaultStores
{
    private const string CoreDefaults = "PatternQuality.DependencyInjection.Internal.DefaultServices";

    private SqliteModelStore? _created;

    /// <summary>Replaces the core's in-memory defaults still registered on <paramref name="builder"/>.</summary>
    public static void Replace<TPattern>(IPatternQualityBuilder<TPattern> builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<DefaultStores>();
        if (IsCoreDefault(services, typeof(IModelStore)))
        {
            services.RemoveAll<IModelStore>();
            services.AddSingleton<IModelStore>(sp => sp.GetRequiredService<DefaultStores>().CreateModelStore(sp));
        }

        if (IsCoreDefault(services, typeof(IFeedbackSource<TPattern>)))
        {
            builder.UseFeedbackStore(FeedbackRoleOf<TPattern>);

            // A host that wrote to the default in-memory source directly would now write where nothing reads: say so.
            services.RemoveAll<InMemoryFeedbackSource<TPattern>>();
            services.AddSingleton(sp => sp.GetRequiredService<IFeedbackSource<TPattern>>() as InMemoryFeedbackSource<TPattern> ?? throw new InvalidOperationException(
                $"Feedback goes to the durable {sp.GetRequiredService<IFeedbackSource<TPattern>>().GetType().Name}, not to an InMemoryFeedbackSource; write it with FeedbackIngestion<{typeof(TPattern).Name}> or IFeedbackStore<{typeof(TPattern).Name}>."));
        }
    }

    /// <summary>Returns whether <paramref name="store"/> is the default database this class created.</summary>
    public bool IsDefault(IModelStore store) => ReferenceEquals(store, _created);

    /// <summary>The feedback store that goes with the registered model store: the same SQLite file, the log in the store directory, or memory.</summary>
    private static IFeedbackStore<TPattern> FeedbackRoleOf<TPattern>(IServiceProvider services) =>
        services.GetRequiredService<IModelStore>() switch
        {
            SqliteModelStore sqlite => new SqliteFeedbackStore<TPattern>(new SqliteModelStoreOptions { DatabasePath = sqlite.DatabasePath }),
            FileSystemModelStore files => new DurableFeedbackLog<TPattern>(
                Path.Combine(files.Directory, services.GetRequiredService<IOptions<PatternQualityHostingOptions>>().Value.FeedbackLogFileName),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            _ => new InMemoryFeedbackSource<TPattern>(services.GetService<TimeProvider>()),
        };

    private static bool IsCoreDefault(IServiceCollection services, Type serviceType) =>
        services.LastOrDefault(d => d.ServiceType == serviceType) is { ImplementationFactory: { } factory } && factory.Method.DeclaringType?.FullName == CoreDefaults;

    private SqliteModelStore CreateModelStore(IServiceProvider services)
    {
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath is { Length: > 0 } contentRoot ? contentRoot : Directory.GetCurrentDirectory();
        var configured = services.GetRequiredService<IOptions<PatternQualityHostingOptions>>().Value.DatabasePath;
        var path = Path.GetFullPath(configured ?? "patternquality.db", root);

        // The default must work on a first start: a configured sub-folder of the content root is created.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var store = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = path }, services.GetService<TimeProvider>());
        _created = store;
        return store;
    }
}
