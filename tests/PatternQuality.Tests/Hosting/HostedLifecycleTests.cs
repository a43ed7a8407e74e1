using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Online;
using PatternQuality.Tests.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Hosting;

/// <summary>Issue 10 (d): a host app's whole life through the hosted lifecycle, in a real generic host.</summary>
public sealed class HostedLifecycleTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WholeLife_FirstStartTrainingUpdatesPromotionRestart()
    {
        var all = OfferStream.Generate(1400, seed: 70);
        var probes = OfferStream.Generate(40, seed: 71, firstSequence: 90_000).Select(r => r.Pattern).ToArray();
        float[] beforeStop;
        string? versionAtStop;
        using (var host = Build())
        {
            // First start: no model, not enough feedback; the default score is served and the check says Unhealthy.
            await host.StartAsync();
            var sp = host.Services;
            var holder = sp.GetRequiredService<QualityModelHolder>();
            var ingestion = sp.GetRequiredService<FeedbackIngestion<Offer>>();
            Assert.Null(holder.Current);
            Assert.Equal(0.5f, sp.GetRequiredService<PatternScorer<Offer>>().Score(probes[0]));
            Assert.Equal(HealthStatus.Unhealthy, (await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
            Assert.Equal(200, (await ingestion.SubmitAsync(all.Take(200).ToArray())).Accepted.Count);

            // Enough feedback: the first model is trained through the gate and served; the learner starts.
            await ingestion.SubmitAsync(all.Skip(200).Take(200).ToArray());
            await Until(() => holder.Current is not null && sp.GetRequiredService<PatternQualityHostedService<Offer>>().Learner is not null);
            var learner = sp.GetRequiredService<PatternQualityHostedService<Offer>>().Learner!;
            Assert.Equal(HealthStatus.Healthy, (await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);

            // Updates: feedback flows into the learner from the durable log.
            var duplicates = await ingestion.SubmitAsync(all.Skip(300).Take(400).ToArray());
            Assert.Equal(100, duplicates.Duplicates);
            await Until(() => learner.Watermark.Sequence >= 700);

            // A promotion by another process (a forced `pq promote` of another model) is served within 5 s and
            // survives the learner's next update.
            using var other = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
            var model = OfferStream.Train(OfferStream.Extractor(), all.Take(700), trees: 9);
            var promoted = (await other.SaveAsync(model.ToBytes(), new ModelSaveRequest { SchemaHash = model.Info.Schema.Hash, Watermark = new FeedbackWatermark(700), Trainer = "gbdt" })).Version;
            await other.ActivateAsync(promoted, "pq promote");
            await Until(() => holder.Current!.Info.Version == promoted, TimeSpan.FromSeconds(5));
            await ingestion.SubmitAsync(all.Skip(700).Take(300).ToArray());
            await Until(() => learner.Watermark.Sequence >= 1000);
            var lineage = await other.ListAsync();
            var active = lineage.Single(v => v.Version == learner.BaseVersion);
            Assert.True(active.Version == promoted || Descends(lineage, active.Version, promoted), "the learner's snapshots must descend from the promotion");

            beforeStop = sp.GetRequiredService<PatternScorer<Offer>>().Score(probes);
            await host.StopAsync();
            versionAtStop = await other.GetActiveVersionAsync();
        }

        // A restart: the active version (saved at stop) loads with its history and scores exactly as before.
        using (var host = Build())
        {
            await host.StartAsync();
            var sp = host.Services;
            Assert.Equal(versionAtStop, sp.GetRequiredService<QualityModelHolder>().Current!.Info.Version);
            Assert.Equal(beforeStop, sp.GetRequiredService<PatternScorer<Offer>>().Score(probes));
            await host.StopAsync();
        }

        // A restart with an extractor of another schema fails at start, naming the difference.
        using (var host = Build(new PatternQuality.Features.FeatureExtractorBuilder<Offer>().Numeric("price", o => o.Price).Numeric("quality", o => o.Quality).History("user", o => o.User).Build()))
        {
            var ex = await Assert.ThrowsAsync<PatternQuality.Data.SchemaMismatchException>(() => host.StartAsync());
            Assert.Contains("segment", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RollbackWhileARetrainRuns_TheRetrainIsRejectedAndTheRollbackIsServed()
    {
        // Issue 10 item 1: an operator's change wins. A `pq rollback` from another process lands while the host's
        // gated retrain is reading its training data; the retrain must not be promoted over the rollback.
        var all = OfferStream.Generate(1000, seed: 73);
        using var other = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
        var hook = new RollbackOnRead(other);
        using var host = Build(configure: services => services.AddSingleton<IFeedbackSource<Offer>>(sp => new HookedSource(sp.GetRequiredService<DurableFeedbackLog<Offer>>(), hook)));
        await host.StartAsync();
        var sp = host.Services;
        var hosted = sp.GetRequiredService<PatternQualityHostedService<Offer>>();
        var holder = sp.GetRequiredService<QualityModelHolder>();
        var ingestion = sp.GetRequiredService<FeedbackIngestion<Offer>>();
        await ingestion.SubmitAsync(all.Take(400).ToArray());
        await Until(() => hosted.Learner is not null);
        await ingestion.SubmitAsync(all.Skip(400).ToArray());
        await Until(() => hosted.Learner!.Watermark.Sequence >= 999);
        // The learner's snapshot makes a version with a previous one to roll back to.
        var before = (await hosted.Learner!.SaveSnapshotAsync())?.Version ?? (await other.GetActiveVersionAsync())!;
        Assert.True((await other.ListAsync()).Single(v => v.Version == before).Properties.ContainsKey(ModelPropertyNames.PreviousActive));

        hook.Armed = true;
        var proposal = await hosted.RetrainAsync("test: scheduled");

        Assert.NotNull(hook.RolledBackTo);
        Assert.NotNull(proposal);
        Assert.False(proposal.Promoted);
        Assert.Contains("an operator's change wins", proposal.Decision.Reason, StringComparison.Ordinal);
        var versions = await other.ListAsync();
        var active = (await other.GetActiveVersionAsync())!;
        Assert.NotEqual(proposal.Version.Version, active);
        Assert.True(active == hook.RolledBackTo || Descends(versions, active, hook.RolledBackTo!), "the rolled-back version (or the learner's snapshots of it) is active");
        await Until(() => holder.Current!.Info.Version == active || Descends(versions, holder.Current!.Info.Version!, hook.RolledBackTo!), TimeSpan.FromSeconds(5));
        Assert.NotEqual(before, hook.RolledBackTo);
        await host.StopAsync();
    }

    [Fact]
    public async Task MulticlassVersionActivatedAfterStart_RefusedClearly_ServedModelAndLearnerKept_BinaryAdoptedAgain()
    {
        // Issue 15 item 2: the lifecycle serves binary models. A multiclass version activated by another process while
        // the host runs (not only one active at start) must be refused with a clear error, without changing what is
        // served or where the learner stands, and a binary version activated afterwards is followed again.
        var all = OfferStream.Generate(1200, seed: 74);
        using var host = Build();
        await host.StartAsync();
        var sp = host.Services;
        var hosted = sp.GetRequiredService<PatternQualityHostedService<Offer>>();
        var holder = sp.GetRequiredService<QualityModelHolder>();
        var ingestion = sp.GetRequiredService<FeedbackIngestion<Offer>>();
        await ingestion.SubmitAsync(all.Take(400).ToArray());
        await Until(() => hosted.Learner is not null && holder.Current is not null);
        var learner = hosted.Learner!;
        await Until(() => learner.Watermark.Sequence >= 399);
        var binaryVersion = learner.BaseVersion!;

        using var other = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
        var multiclass = ThreeClassModel(all.Take(400));
        var saved = (await other.SaveAsync(multiclass.ToBytes(), new ModelSaveRequest { SchemaHash = multiclass.Info.Schema.Hash, Watermark = new FeedbackWatermark(399), Trainer = "gbdt" })).Version;
        await other.ActivateAsync(saved, "pq promote");

        // Several poll intervals of the learner (200 ms) and the host (100 ms) pass; feedback keeps arriving.
        await ingestion.SubmitAsync(all.Skip(400).Take(200).ToArray());
        await Task.Delay(1500);
        Assert.IsType<QualityModel>(holder.Current);
        Assert.NotEqual(saved, holder.Current!.Info.Version);
        Assert.Equal(binaryVersion, learner.BaseVersion);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => learner.SyncWithActiveVersionAsync());
        Assert.Contains("multiclass", refused.Message, StringComparison.Ordinal);
        Assert.Contains(saved, refused.Message, StringComparison.Ordinal);
        Assert.Equal(saved, await other.GetActiveVersionAsync());
        Assert.Contains("binary", refused.Message, StringComparison.Ordinal);

        // An operator activates a binary version again: the learner adopts it and learns the feedback held back.
        await other.ActivateAsync(binaryVersion, "pq rollback");
        await ingestion.SubmitAsync(all.Skip(600).Take(100).ToArray());
        await Until(() => learner.Watermark.Sequence >= 699);
        Assert.IsType<QualityModel>(holder.Current);
        await host.StopAsync();
    }

    private static MulticlassQualityModel ThreeClassModel(IEnumerable<FeedbackRecord<Offer>> records)
    {
        // Three price bands of the same offers: a multiclass model with the host's own feature schema.
        var list = records.ToArray();
        var binary = OfferStream.Extractor().ExtractTraining(list);
        var labels = list.Select(r => r.Pattern.Price < 1.0 / 3 ? 0f : r.Pattern.Price < 2.0 / 3 ? 1f : 2f).ToArray();
        var data = new PatternQuality.Data.Dataset(binary.Schema, binary.Features.ToArray(), labels);
        var predictor = new PatternQuality.Trees.GradientBoostingLearner(new PatternQuality.Trees.GradientBoostingOptions { NumberOfTrees = 5, NumberOfLeaves = 8, NumberOfThreads = 1 }).FitMulticlass(data);
        return new MulticlassQualityModel(predictor, ["cheap", "middle", "dear"]);
    }

    [Fact]
    public async Task Start_NoFeatureExtractor_FailsBeforeServing()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Services.AddPatternQuality<Offer>().AddHostedLifecycle();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("UseFeatureExtractor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_ModelOlderThanTheLimit_Degraded()
    {
        var holder = new QualityModelHolder(OfferStream.Train(OfferStream.Extractor(), OfferStream.Generate(300, seed: 72)).WithInfo(new ModelInfo(OfferStream.Extractor().Schema, "gbdt") { CreatedAt = DateTimeOffset.UtcNow.AddDays(-8) }));
        var state = new PatternQualityHostState();
        var check = new PatternQualityHealthCheck(holder, state, Microsoft.Extensions.Options.Options.Create(new PatternQualityHostingOptions()));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("ago", result.Description, StringComparison.Ordinal);
    }

    private static bool Descends(IReadOnlyList<ModelMetadata> versions, string version, string ancestor)
    {
        for (var v = versions.FirstOrDefault(m => m.Version == version); v?.ParentVersion is { } parent; v = versions.FirstOrDefault(m => m.Version == parent))
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, "timed out waiting for the host");
            await Task.Delay(20);
        }
    }

    private IHost Build(PatternQuality.Features.FeatureExtractor<Offer>? extractor = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Services.AddPatternQuality<Offer>()
            .UseFeatureExtractor(extractor ?? OfferStream.Extractor())
            .UseModelStore(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }))
            .UseDurableFeedbackLog()
            .UseIncrementalLearning(o =>
            {
                o.Trigger.CountThreshold = 50;
                o.Trigger.MaximumAge = TimeSpan.FromMilliseconds(200);
                o.SnapshotEveryUpdates = 2;
                o.ActiveVersionPollInterval = TimeSpan.FromMilliseconds(200);
            })
            .AddHostedLifecycle(o =>
            {
                o.MinimumFeedbackForFirstTraining = 300;
                o.ActiveVersionPollInterval = TimeSpan.FromMilliseconds(100);
            });
        builder.Services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 20);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Rolls the store back (as `pq rollback` from another process would) the first time it is armed and data is read.</summary>
    private sealed class RollbackOnRead(ModelVersionManager versions)
    {
        public volatile bool Armed;

        public string? RolledBackTo { get; private set; }

        public async Task FireAsync(CancellationToken cancellationToken)
        {
            if (Armed)
            {
                Armed = false;
                RolledBackTo = (await versions.RollbackAsync(reason: "pq rollback", cancellationToken: cancellationToken)).Version;
            }
        }
    }

    private sealed class HookedSource(IFeedbackStore<Offer> inner, RollbackOnRead hook) : IFeedbackStore<Offer>
    {
        public Task<FeedbackAppendResult<Offer>> AppendAsync(IReadOnlyList<FeedbackRecord<Offer>> records, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(records, cancellationToken);

        public Task<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

        public async IAsyncEnumerable<FeedbackRecord<Offer>> ReadAsync(FeedbackWatermark after, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await hook.FireAsync(cancellationToken);
            await foreach (var r in inner.ReadAsync(after, cancellationToken))
            {
                yield return r;
            }
        }
    }
}
