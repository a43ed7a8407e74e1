using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Storage;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Online;

/// <summary>Issue 10 (a): the version manager's active version is the one source of truth the learner follows.</summary>
public class IncrementalLearnerActiveVersionTests
{
    private static readonly IncrementalLearnerOptions Options = new()
    {
        GuardFraction = 0,
        SnapshotEveryUpdates = 1,
        SnapshotInterval = Timeout.InfiniteTimeSpan,
        ActiveVersionPollInterval = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task UpdateAsync_AfterAForcedPromotion_AdoptsItAndItsNextSnapshotIsItsChild()
    {
        var store = new InMemoryModelStore();
        using var versions = new ModelVersionManager(store);
        using var sut = Create(versions, out var holder, out _);
        await Learn(sut, OfferStream.Generate(200, seed: 20, firstSequence: 0));
        var own = await versions.GetActiveVersionAsync();
        Assert.NotNull(own);

        // Another model (fewer trees, another lineage) is promoted by force, as `pq promote` would.
        var promoted = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), OfferStream.Generate(800, seed: 21, firstSequence: 50_000), trees: 7), watermark: 150);
        await versions.ActivateAsync(promoted, "forced promotion");

        var result = await Learn(sut, OfferStream.Generate(200, seed: 22, firstSequence: 200));

        // The update was learned on the promoted model: 7 trees plus this update's, never the old lineage's 30 + n.
        Assert.True(result.Accepted, result.Note);
        Assert.InRange(((TreeEnsembleModel)sut.Model.Predictor).TreeCount, 7, 7 + Options.NumberOfTreesPerUpdate);
        var active = (await versions.LoadActiveAsync())!.Metadata;
        Assert.Equal(result.SnapshotVersion, active.Version);
        Assert.Equal(promoted, active.ParentVersion);
        Assert.Equal(active.Version, sut.BaseVersion);
        Assert.Equal(active.Version, holder.Current!.Info.Version);
        Assert.Equal(new FeedbackWatermark(399), sut.Watermark);
    }

    [Fact]
    public async Task UpdateAsync_PromotionWhileTheUpdateComputes_DiscardsTheUpdateAndServesThePromotion()
    {
        var store = new HookedStore(new InMemoryModelStore());
        using var versions = new ModelVersionManager(store);
        using var sut = Create(versions, out var holder, out _);
        await Learn(sut, OfferStream.Generate(200, seed: 30, firstSequence: 0));
        var promoted = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), OfferStream.Generate(800, seed: 31, firstSequence: 50_000), trees: 7), watermark: 100);

        // The second store read of the next update is its check before publishing: promote right then.
        var reads = 0;
        store.OnGetActive = () =>
        {
            if (++reads == 2)
            {
                store.OnGetActive = null;
                versions.ActivateAsync(promoted, "gated promotion").GetAwaiter().GetResult();
            }
        };
        var result = await Learn(sut, OfferStream.Generate(200, seed: 32, firstSequence: 200));

        Assert.False(result.Accepted);
        Assert.Contains("Discarded", result.Note, StringComparison.Ordinal);
        Assert.Null(result.SnapshotVersion);
        Assert.Equal(promoted, await versions.GetActiveVersionAsync());
        Assert.Equal(promoted, holder.Current!.Info.Version);
        Assert.Equal(7, ((TreeEnsembleModel)sut.Model.Predictor).TreeCount);

        // The next update builds on the promotion, and its snapshot is the promotion's child.
        var next = await Learn(sut, OfferStream.Generate(200, seed: 33, firstSequence: 400));
        Assert.True(next.Accepted, next.Note);
        Assert.Equal(promoted, (await versions.LoadActiveAsync())!.Metadata.ParentVersion);
    }

    [Fact]
    public async Task SaveSnapshotAsync_PromotionBetweenSaveAndActivation_KeepsThePromotionActive()
    {
        var store = new HookedStore(new InMemoryModelStore());
        using var versions = new ModelVersionManager(store);
        using var sut = Create(versions, out var holder, out _, new IncrementalLearnerOptions { GuardFraction = 0, SnapshotEveryUpdates = 0, SnapshotInterval = Timeout.InfiniteTimeSpan });
        await Learn(sut, OfferStream.Generate(200, seed: 40, firstSequence: 0));
        var promoted = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), OfferStream.Generate(800, seed: 41, firstSequence: 50_000), trees: 7), watermark: 100);

        // Read 1: the learner's check before saving; read 2: the compare inside TryActivateAsync. Another process wins in between.
        var reads = 0;
        store.OnGetActive = () =>
        {
            if (++reads == 2)
            {
                store.OnGetActive = null;
                store.Inner.SetActiveVersionAsync(promoted).GetAwaiter().GetResult();
            }
        };
        var snapshot = await sut.SaveSnapshotAsync();

        Assert.Null(snapshot);
        Assert.Equal(promoted, await versions.GetActiveVersionAsync());
        Assert.Equal(promoted, sut.BaseVersion);
        Assert.Equal(promoted, holder.Current!.Info.Version);
        Assert.Equal(2, (await versions.ListAsync()).Count);
    }

    [Fact]
    public async Task RunAsync_AnotherProcessActivatesAVersion_SwappedInWithinFiveSeconds()
    {
        using var dir = new TempDirectory();
        using var ours = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = dir.Path }));
        using var theirs = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = dir.Path }));
        using var sut = Create(ours, out var holder, out var extractor);
        await Learn(sut, OfferStream.Generate(200, seed: 50, firstSequence: 0));
        using var stop = new CancellationTokenSource();
        var loop = sut.RunAsync(stop.Token);

        // The other process trained on more feedback than this one has seen: its history and watermark come along.
        var trainedOn = OfferStream.Generate(1500, seed: 51, firstSequence: 0);
        var otherExtractor = OfferStream.Extractor();
        var model = OfferStream.Train(otherExtractor, trainedOn, trees: 9);
        var promoted = await SaveAsync(theirs, model, watermark: 1499);
        await theirs.ActivateAsync(promoted, "pq promote");
        var swapped = DateTime.UtcNow;
        while (holder.Current!.Info.Version != promoted && DateTime.UtcNow - swapped < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        stop.Cancel();
        await loop;
        Assert.Equal(promoted, holder.Current!.Info.Version);
        Assert.Equal(new FeedbackWatermark(1499), sut.Watermark);
        extractor.History.GetGlobalCounts("user", out _, out var seen);
        otherExtractor.History.GetGlobalCounts("user", out _, out var expected);
        Assert.Equal(expected, seen);

        // Feedback the promoted model already learned is skipped; what follows is learned on it.
        var result = await Learn(sut, OfferStream.Generate(1600, seed: 51, firstSequence: 0).Skip(1400));
        Assert.Equal(new FeedbackWatermark(1599), result.Watermark);
        Assert.Equal(100, result.BatchSize);
        Assert.Equal(promoted, (await theirs.LoadActiveAsync())!.Metadata.ParentVersion);
    }

    [Fact]
    public async Task SyncWithActiveVersionAsync_ActiveVersionOfAnotherSchema_ThrowsNamingTheDifference()
    {
        using var versions = new ModelVersionManager(new InMemoryModelStore());
        using var sut = Create(versions, out _, out _);
        var other = new PatternQuality.Features.FeatureExtractorBuilder<Offer>()
            .Numeric("price", o => o.Price)
            .Numeric("quality", o => o.Quality)
            .History("user", o => o.User)
            .Build();
        var data = other.ExtractTraining(OfferStream.Generate(300, seed: 60));
        var model = new QualityModel(new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 3, NumberOfThreads = 1 }).Fit(data));
        await versions.ActivateAsync(await SaveAsync(versions, model, watermark: 10), "test");

        var ex = await Assert.ThrowsAsync<PatternQuality.Data.SchemaMismatchException>(() => sut.SyncWithActiveVersionAsync());
        Assert.Contains("segment", ex.Message, StringComparison.Ordinal);
    }

    private static IncrementalLearner<Offer> Create(ModelVersionManager versions, out QualityModelHolder holder, out PatternQuality.Features.FeatureExtractor<Offer> extractor, IncrementalLearnerOptions? options = null)
    {
        extractor = OfferStream.Extractor();
        holder = new QualityModelHolder(OfferStream.Train(extractor, OfferStream.Generate(1000, seed: 1, firstSequence: 100_000)));
        return new IncrementalLearner<Offer>(extractor, holder, options ?? Options, versions);
    }

    private static async Task<IncrementalUpdateResult> Learn(IncrementalLearner<Offer> sut, IEnumerable<FeedbackRecord<Offer>> records)
    {
        foreach (var r in records)
        {
            sut.TryAdd(r);
        }

        return await sut.UpdateAsync();
    }

    private static async Task<string> SaveAsync(ModelVersionManager versions, QualityModel model, long watermark)
    {
        var saved = await versions.SaveAsync(model.ToBytes(), new ModelSaveRequest
        {
            SchemaHash = model.Info.Schema.Hash,
            Watermark = new FeedbackWatermark(watermark),
            Trainer = "gbdt",
        });
        return saved.Version;
    }

    /// <summary>A store that runs a hook on each read of the active version: a deterministic race.</summary>
    private sealed class HookedStore(IModelStore inner) : IModelStore
    {
        public IModelStore Inner => inner;

        public Action? OnGetActive { get; set; }

        public Task SaveAsync(ModelMetadata metadata, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.SaveAsync(metadata, content, cancellationToken);

        public Task<StoredModel> LoadAsync(string version, CancellationToken cancellationToken = default) => inner.LoadAsync(version, cancellationToken);

        public Task<IReadOnlyList<ModelMetadata>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public Task UpdateMetadataAsync(ModelMetadata metadata, CancellationToken cancellationToken = default) => inner.UpdateMetadataAsync(metadata, cancellationToken);

        public Task<bool> DeleteAsync(string version, CancellationToken cancellationToken = default) => inner.DeleteAsync(version, cancellationToken);

        public Task<string?> GetActiveVersionAsync(CancellationToken cancellationToken = default)
        {
            OnGetActive?.Invoke();
            return inner.GetActiveVersionAsync(cancellationToken);
        }

        public Task SetActiveVersionAsync(string version, CancellationToken cancellationToken = default) => inner.SetActiveVersionAsync(version, cancellationToken);

        // The race lands just before the critical section, as another process's activation would.
        public Task UpdateAsync(Func<ModelStoreSnapshot, CancellationToken, Task<ModelStoreChange?>> update, CancellationToken cancellationToken = default)
        {
            OnGetActive?.Invoke();
            return inner.UpdateAsync(update, cancellationToken);
        }
    }
}
