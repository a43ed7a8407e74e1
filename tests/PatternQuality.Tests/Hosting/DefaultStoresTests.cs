using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Online;
using PatternQuality.Tests.Storage;
using PatternQuality.Training;

namespace PatternQuality.Tests.Hosting;

/// <summary>Issue 13 item 1: with no store configured the hosted lifecycle keeps models and feedback in one SQLite file; feedback follows the model store the host chose.</summary>
public sealed class DefaultStoresTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task NoStoreConfigured_ModelsAndFeedbackLiveInOneSqliteFileAndSurviveARestart()
    {
        var feedback = OfferStream.Generate(400, seed: 31);
        var probes = OfferStream.Generate(20, seed: 32, firstSequence: 50_000).Select(r => r.Pattern).ToArray();
        var expectedPath = _root.Combine("patternquality.db");
        string version;
        float[] scores;
        using (var host = Build(pq => { }))
        {
            var sp = host.Services;
            var models = Assert.IsType<SqliteModelStore>(sp.GetRequiredService<IModelStore>());
            var store = Assert.IsType<SqliteFeedbackStore<Offer>>(sp.GetRequiredService<IFeedbackStore<Offer>>());
            Assert.Same(store, sp.GetRequiredService<IFeedbackSource<Offer>>());
            Assert.Equal((expectedPath, expectedPath), (models.DatabasePath, store.DatabasePath));

            await host.StartAsync();
            Assert.Equal(400, (await sp.GetRequiredService<FeedbackIngestion<Offer>>().SubmitAsync(feedback)).Accepted.Count);
            var holder = sp.GetRequiredService<QualityModelHolder>();
            await Until(() => holder.Current is not null);
            version = holder.Current!.Info.Version!;
            scores = probes.Select(p => sp.GetRequiredService<PatternScorer<Offer>>().Score(p)).ToArray();
            await host.StopAsync();
        }

        // A restart finds the first model and every record in the same file.
        using (var host = Build(pq => { }))
        {
            await host.StartAsync();
            var sp = host.Services;
            Assert.Equal(400, await sp.GetRequiredService<IFeedbackStore<Offer>>().CountAsync());
            Assert.Equal(version, sp.GetRequiredService<QualityModelHolder>().Current?.Info.Version);
            Assert.Equal(400, (await sp.GetRequiredService<FeedbackIngestion<Offer>>().SubmitAsync(feedback)).Duplicates);
            await host.StopAsync();
        }

        Assert.Equal(400L, SqliteTestDatabase.Scalar(expectedPath, "SELECT count(*) FROM pq_feedback;"));
        Assert.NotEmpty(scores);
    }

    [Fact]
    public void DatabasePath_RelativeToTheContentRoot_FolderCreated()
    {
        using var host = Build(pq => { }, o => o.DatabasePath = Path.Combine("data", "pq.db"));

        var models = Assert.IsType<SqliteModelStore>(host.Services.GetRequiredService<IModelStore>());

        Assert.Equal(_root.Combine("data", "pq.db"), models.DatabasePath);
        Assert.True(Directory.Exists(_root.Combine("data")));
        Assert.Equal(models.DatabasePath, Assert.IsType<SqliteFeedbackStore<Offer>>(host.Services.GetRequiredService<IFeedbackStore<Offer>>()).DatabasePath);
    }

    [Fact]
    public void FileStoreRegisteredAfterTheLifecycle_FeedbackGoesToItsDurableLog()
    {
        var directory = _root.Combine("store");
        using var host = Build(pq => { }, after: pq => pq.UseModelStore(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = directory })));

        Assert.IsType<FileSystemModelStore>(host.Services.GetRequiredService<IModelStore>());
        var log = Assert.IsType<DurableFeedbackLog<Offer>>(host.Services.GetRequiredService<IFeedbackStore<Offer>>());
        Assert.Equal(Path.Combine(directory, "feedback.log"), log.Path);
        Assert.False(File.Exists(_root.Combine("patternquality.db")));
    }

    [Fact]
    public void InMemoryStoreChosenOnPurpose_IsKeptWithInMemoryFeedback()
    {
        var chosen = new InMemoryModelStore();
        using var host = Build(pq => pq.UseModelStore(chosen));

        Assert.Same(chosen, host.Services.GetRequiredService<IModelStore>());
        var feedback = Assert.IsType<InMemoryFeedbackSource<Offer>>(host.Services.GetRequiredService<IFeedbackStore<Offer>>());
        Assert.Same(feedback, host.Services.GetRequiredService<InMemoryFeedbackSource<Offer>>());
    }

    [Fact]
    public void FeedbackSourceChosenOnPurpose_IsKeptBesideTheDefaultDatabase()
    {
        var source = new InMemoryFeedbackSource<Offer>();
        using var host = Build(pq => pq.UseFeedbackSource(source));

        Assert.IsType<SqliteModelStore>(host.Services.GetRequiredService<IModelStore>());
        Assert.Same(source, host.Services.GetRequiredService<IFeedbackStore<Offer>>());
    }

    [Fact]
    public void DefaultInMemorySourceResolvedDirectly_WhileFeedbackIsDurable_SaysWhereToWrite()
    {
        using var host = Build(pq => { });

        var ex = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<InMemoryFeedbackSource<Offer>>());

        Assert.Contains("FeedbackIngestion", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SqliteFeedbackStore<Offer>), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatabasePath_NotAPath_FailsValidation()
    {
        var ex = Assert.Throws<OptionsValidationException>(new PatternQualityHostingOptions { DatabasePath = ":memory:" }.Validate);

        Assert.Contains("The field PatternQualityHostingOptions.DatabasePath must be set to a file path", ex.Message, StringComparison.Ordinal);
    }

    private static async Task Until(Func<bool> condition)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, "timed out waiting for the host");
            await Task.Delay(20);
        }
    }

    private IHost Build(Action<IPatternQualityBuilder<Offer>> before, Action<PatternQualityHostingOptions>? configure = null, Action<IPatternQualityBuilder<Offer>>? after = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production", ContentRootPath = _root.Path });
        var pq = builder.Services.AddPatternQuality<Offer>().UseFeatureExtractor(OfferStream.Extractor());
        before(pq);
        pq.AddHostedLifecycle(o =>
        {
            o.MinimumFeedbackForFirstTraining = 300;
            o.ActiveVersionPollInterval = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(o);
        });
        after?.Invoke(pq);
        builder.Services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 20);
        return builder.Build();
    }
}
