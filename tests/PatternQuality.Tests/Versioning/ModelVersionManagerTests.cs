using System.Text;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Versioning;

public sealed class ModelVersionManagerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeClockWithRealTimers _time = new(new DateTimeOffset(2026, 11, 23, 19, 5, 12, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SaveAsync_Request_RecordsMetadataWithSortableIdAndLibraryVersion()
    {
        using var sut = CreateSut();
        var request = new ModelSaveRequest
        {
            ParentVersion = "base",
            SchemaHash = "abc",
            Watermark = new FeedbackWatermark(99),
            TrainingRows = 1234,
            Trainer = "gbdt",
            TrainerOptions = new Dictionary<string, string> { ["NumberOfTrees"] = "100" },
            Metrics = new Dictionary<string, double> { ["auc"] = 0.75 },
        };

        var first = await sut.SaveAsync(Bytes("a"), request);
        _time.Advance(TimeSpan.FromHours(1));
        var second = await sut.SaveAsync(Bytes("b"), new ModelSaveRequest());

        Assert.Equal("v0001-20261123T190512Z", first.Version);
        Assert.Equal("v0002-20261123T200512Z", second.Version);
        Assert.Equal(("base", "abc", 99L, 1234L, _time.Start), (first.ParentVersion, first.SchemaHash, first.WatermarkSequence, first.TrainingRows, first.CreatedAt));
        Assert.Equal("gbdt", first.Properties[ModelPropertyNames.Trainer]);
        Assert.Equal("100", first.Properties[ModelPropertyNames.TrainerOptionPrefix + "NumberOfTrees"]);
        Assert.StartsWith("0.1.0", first.Properties[ModelPropertyNames.LibraryVersion], StringComparison.Ordinal);
        Assert.Null(first.Promoted);
        Assert.Null(await sut.GetActiveVersionAsync());
        Assert.Equal([first.Version, second.Version], (await sut.ListAsync()).Select(v => v.Version));
    }

    [Fact]
    public async Task SaveAsync_TwoManagersOnOneDirectory_NeverLoseAVersion()
    {
        using var a = CreateSut(FileStore());
        using var b = CreateSut(FileStore());

        var saves = Enumerable.Range(0, 10).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).SaveAsync(Bytes("m" + i), new ModelSaveRequest())));
        var saved = await Task.WhenAll(saves);

        Assert.Equal(10, saved.Select(s => s.Version).Distinct().Count());
        Assert.Equal(saved.Select(s => s.Version).Order(StringComparer.Ordinal), (await a.ListAsync()).Select(v => v.Version).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ActivateAsync_Version_BecomesChampionAndRemembersPrevious()
    {
        using var sut = CreateSut();
        var v1 = await sut.SaveAsync(Bytes("1"), new ModelSaveRequest());
        var v2 = await sut.SaveAsync(Bytes("2"), new ModelSaveRequest());

        await sut.ActivateAsync(v1.Version, "first");
        var activated = await sut.ActivateAsync(v2.Version, "better");

        Assert.Equal(v2.Version, await sut.GetActiveVersionAsync());
        Assert.Equal(v2.Version, await sut.ResolveAsync(ModelAliases.Champion));
        Assert.Equal(v1.Version, activated.Properties[ModelPropertyNames.PreviousActive]);
        Assert.Equal("better", activated.Properties[ModelPropertyNames.ActivationReason]);
        Assert.Empty((await sut.LoadAsync(v1.Version)).Metadata.Aliases);
        Assert.Equal("2", Encoding.UTF8.GetString((await sut.LoadActiveAsync())!.Content.Span));
    }

    [Fact]
    public async Task RollbackAsync_Repeatedly_WalksBackThroughActivations()
    {
        using var sut = CreateSut();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await sut.SaveAsync(Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new ModelSaveRequest())).Version);
            await sut.ActivateAsync(ids[i], "release " + i);
        }

        await sut.RollbackAsync(reason: "bad release");
        Assert.Equal(ids[1], await sut.GetActiveVersionAsync());
        Assert.Contains("bad release", (await sut.LoadAsync(ids[2])).Metadata.Properties[ModelPropertyNames.RolledBack], StringComparison.Ordinal);

        await sut.RollbackAsync();
        Assert.Equal(ids[0], await sut.GetActiveVersionAsync());
        Assert.Equal(ids[0], await sut.ResolveAsync(ModelAliases.Champion));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => sut.RollbackAsync());
        Assert.Contains("first one activated", ex.Message, StringComparison.Ordinal);

        await sut.RollbackAsync(to: ids[2], reason: "fixed after all");
        Assert.Equal(ids[2], await sut.GetActiveVersionAsync());
    }

    [Fact]
    public async Task RollbackAsync_NothingActive_ThrowsInvalidOperation()
    {
        using var sut = CreateSut();

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.RollbackAsync());
    }

    [Fact]
    public async Task RollbackAsync_TargetFileCorrupted_ThrowsNamingFileAndActiveStays()
    {
        using var sut = CreateSut(FileStore());
        var v1 = await sut.SaveAsync(Bytes("1"), new ModelSaveRequest());
        var v2 = await sut.SaveAsync(Bytes("2"), new ModelSaveRequest());
        await sut.ActivateAsync(v1.Version, "first");
        await sut.ActivateAsync(v2.Version, "second");
        File.WriteAllBytes(_temp.Combine("models", v1.Version + ".pqm"), [1, 2, 3]);

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.RollbackAsync());

        Assert.Contains(v1.Version + ".pqm", ex.Message, StringComparison.Ordinal);
        Assert.Equal(v2.Version, await sut.GetActiveVersionAsync());
        Assert.Equal("2", Encoding.UTF8.GetString((await sut.LoadActiveAsync())!.Content.Span));
    }

    [Fact]
    public async Task LoadActiveAsync_ActiveFileCorrupted_ThrowsAndVersionStaysActive()
    {
        using var sut = CreateSut(FileStore());
        var v1 = await sut.SaveAsync(Bytes("1"), new ModelSaveRequest());
        await sut.ActivateAsync(v1.Version, "first");
        var path = _temp.Combine("models", v1.Version + ".pqm");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]);

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadActiveAsync());

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(v1.Version, await sut.GetActiveVersionAsync());
    }

    [Fact]
    public async Task LoadAsync_UnknownVersionOrAlias_ThrowsModelNotFound()
    {
        using var sut = CreateSut();
        await sut.SaveAsync(Bytes("1"), new ModelSaveRequest());

        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.LoadAsync("v0042-20261123T190512Z"));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.LoadAsync(ModelAliases.Champion));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.ActivateAsync("nope", "x"));
    }

    [Fact]
    public async Task SetAliasAsync_MovesAliasSoItNamesOneVersion()
    {
        using var sut = CreateSut();
        var v1 = await sut.SaveAsync(Bytes("1"), new ModelSaveRequest());
        var v2 = await sut.SaveAsync(Bytes("2"), new ModelSaveRequest());

        await sut.SetAliasAsync("staging", v1.Version);
        await sut.SetAliasAsync("staging", v2.Version);

        Assert.Equal(v2.Version, await sut.ResolveAsync("staging"));
        Assert.Equal("2", Encoding.UTF8.GetString((await sut.LoadAsync("staging")).Content.Span));
        Assert.Empty((await sut.LoadAsync(v1.Version)).Metadata.Aliases);
        Assert.True(await sut.RemoveAliasAsync("staging"));
        Assert.False(await sut.RemoveAliasAsync("staging"));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.SetAliasAsync(ModelAliases.Champion, v1.Version));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.SetAliasAsync("has space", v1.Version));
    }

    [Fact]
    public async Task ApplyRetentionAsync_KeepsNewestPinnedAliasedActiveAndRollbackTarget()
    {
        using var sut = CreateSut(options: new ModelVersioningOptions { RetainCount = 3, ApplyRetentionOnSave = false });
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await sut.SaveAsync(Bytes("m" + i), new ModelSaveRequest())).Version);
        }

        await sut.PinAsync(ids[1]);
        await sut.SetAliasAsync("audit", ids[2]);
        await sut.ActivateAsync(ids[4], "old release");
        await sut.ActivateAsync(ids[5], "current release");

        var deleted = await sut.ApplyRetentionAsync();

        Assert.Equal([ids[0], ids[3], ids[6], ids[7], ids[8]], deleted);
        Assert.Equal([ids[1], ids[2], ids[4], ids[5], ids[9], ids[10], ids[11]], (await sut.ListAsync()).Select(v => v.Version));
        Assert.Empty(await sut.ApplyRetentionAsync());
        await sut.RollbackAsync();
        Assert.Equal(ids[4], await sut.GetActiveVersionAsync());
    }

    [Fact]
    public async Task SaveAsync_RetentionOnSave_DeletesBeyondRetainCount()
    {
        using var sut = CreateSut(FileStore(), new ModelVersioningOptions { RetainCount = 2 });
        for (var i = 0; i < 5; i++)
        {
            await sut.SaveAsync(Bytes("m" + i), new ModelSaveRequest());
        }

        Assert.Equal(["v0004-20261123T190512Z", "v0005-20261123T190512Z"], (await sut.ListAsync()).Select(v => v.Version));
        Assert.Equal(2, Directory.GetFiles(_temp.Combine("models")).Length);
    }

    [Fact]
    public async Task ProposeAsync_NoChampion_PromotesFirstCandidate()
    {
        using var sut = CreateSut();

        var result = await sut.ProposeAsync(Bytes("first"), new ModelSaveRequest(), PromotionHoldout.FromScores(CouponHoldout.Labels, CouponHoldout.GoodScores(), null, default));

        Assert.True(result.Promoted);
        Assert.Contains("no champion", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Null(result.PreviousActiveVersion);
        Assert.Equal(result.Version.Version, await sut.GetActiveVersionAsync());
        Assert.Contains(ModelAliases.Champion, result.Version.Aliases);
        Assert.True(result.Version.Metrics.ContainsKey("holdout.brier"));
    }

    [Fact]
    public async Task ProposeAsync_WorseThenBetterCandidate_RejectsAsChallengerThenPromotes()
    {
        using var sut = CreateSut(FileStore());
        var labels = CouponHoldout.Labels;
        var good = CouponHoldout.GoodScores();
        var noisy = CouponHoldout.NoisyScores();
        var champion = await sut.ProposeAsync(Bytes("noisy"), new ModelSaveRequest(), PromotionHoldout.FromScores(labels, noisy, null, default));

        var worse = await sut.ProposeAsync(Bytes("worse"), new ModelSaveRequest(), PromotionHoldout.FromScores(labels, Coin(labels.Length), champion.Version.Version, noisy));
        Assert.False(worse.Promoted);
        Assert.Equal(champion.Version.Version, await sut.GetActiveVersionAsync());
        Assert.Equal(worse.Version.Version, await sut.ResolveAsync(ModelAliases.Challenger));

        var better = await sut.ProposeAsync(Bytes("good"), new ModelSaveRequest(), PromotionHoldout.FromScores(labels, good, champion.Version.Version, noisy));
        Assert.True(better.Promoted, better.Decision.Reason);
        Assert.Equal(champion.Version.Version, better.PreviousActiveVersion);

        // A new manager over the same directory sees the decisions and their evidence.
        using var reopened = CreateSut(FileStore());
        var stored = await reopened.ListAsync();
        var rejected = stored.Single(v => v.Version == worse.Version.Version);
        Assert.False(rejected.Promoted);
        Assert.Equal(worse.Decision.Reason, rejected.Decision);
        Assert.Equal([ModelAliases.Challenger], rejected.Aliases);
        Assert.Equal("false", rejected.Properties[ModelPropertyNames.PromotionPrefix + "promoted"]);
        Assert.True(double.Parse(rejected.Properties[ModelPropertyNames.PromotionPrefix + "aucDeltaUpper"], System.Globalization.CultureInfo.InvariantCulture) < 0);
        var promoted = stored.Single(v => v.Version == better.Version.Version);
        Assert.True(promoted.Promoted);
        Assert.Equal(champion.Version.Version, promoted.ParentVersion);
        Assert.Equal([ModelAliases.Champion], promoted.Aliases);
        Assert.Equal("good", Encoding.UTF8.GetString((await reopened.LoadAsync(ModelAliases.Champion)).Content.Span));
        Assert.Equal(better.Version.Version, await reopened.GetActiveVersionAsync());
    }

    [Fact]
    public async Task ProposeAsync_ScoresDoNotMatchHoldout_ThrowsNamingArrayAndStoresNothing()
    {
        using var sut = CreateSut();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sut.ProposeAsync(Bytes("x"), new ModelSaveRequest(), PromotionHoldout.FromScores(new float[] { 0, 1 }, new float[] { 0.5f }, null, default)));

        Assert.Equal("holdout", ex.ParamName);
        Assert.Empty(await sut.ListAsync());
    }

    [Fact]
    public async Task ProposeAsync_ReplacedPolicy_IsUsed()
    {
        var policy = new Moq.Mock<IPromotionPolicy>();
        policy.Setup(p => p.Decide(in Moq.It.Ref<PromotionArguments>.IsAny))
            .Returns(new PromotionDecision(false, "house rule"));
        using var sut = new ModelVersionManager(new InMemoryModelStore(), policy: policy.Object, timeProvider: _time);
        var first = await sut.ProposeAsync(Bytes("1"), new ModelSaveRequest(), PromotionHoldout.FromScores(default, default, null, default));

        var result = await sut.ProposeAsync(Bytes("2"), new ModelSaveRequest(), PromotionHoldout.FromScores(new float[] { 1 }, new float[] { 0.5f }, first.Version.Version, new float[] { 0.5f }));

        Assert.False(result.Promoted);
        Assert.Equal("house rule", result.Version.Decision);
    }

    [Fact]
    public void Constructor_InvalidRetainCount_ThrowsNamingOption()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ModelVersionManager(new InMemoryModelStore(), new ModelVersioningOptions { RetainCount = 0 }));

        Assert.Contains("RetainCount must be between 1 and 100000", ex.Message, StringComparison.Ordinal);
    }

    private static float[] Coin(int n)
    {
        var random = new Random(5);
        return Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
    }

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private FileSystemModelStore FileStore() => new(new FileSystemModelStoreOptions { Directory = _temp.Path }, _time);

    private ModelVersionManager CreateSut(IModelStore? store = null, ModelVersioningOptions? options = null) =>
        new(store ?? new InMemoryModelStore(), options, timeProvider: _time);
}
