using System.Text;
using PatternQuality.Storage;
using PatternQuality.Storage.Internal;
using PatternQuality.Tests.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Versioning;

/// <summary>
/// Issue 18 items 1 and 2 in process: the gate's comparison and the activation are one critical section, and an
/// activation is one manifest write. Two managers over one directory stand for two processes (the store's file lock
/// excludes two handles in one process as it does two processes); the real multi-process runs are in Issues/.
/// </summary>
public sealed class ModelVersionManagerConcurrencyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ProposeAsync_ChampionReplacedDuringComparison_ComparesAgainWithTheNewChampion()
    {
        using var ours = Manager();
        using var other = Manager();
        var first = await other.ProposeAsync(Bytes("first"), new ModelSaveRequest(), PromotionHoldout.FromScores(CouponHoldout.Labels, CouponHoldout.NoisyScores(), null, default));
        var second = await other.SaveAsync(Bytes("second"), new ModelSaveRequest());

        // While this proposal compares with 'first', another process activates 'second'.
        var holdout = new RacingHoldout(CouponHoldout.Labels, CouponHoldout.GoodScores(), () => other.ActivateAsync(second.Version, "other process").GetAwaiter().GetResult());
        var result = await ours.ProposeAsync(Bytes("candidate"), new ModelSaveRequest(), holdout);

        Assert.Equal([first.Version.Version, second.Version], holdout.Scored);
        Assert.Equal(second.Version, result.PreviousActiveVersion);
        var recorded = (await ours.ListAsync()).Single(v => v.Version == result.Version.Version);
        Assert.Equal(second.Version, recorded.Properties[ModelPropertyNames.PromotionChampion]);
        Assert.Equal(second.Version, recorded.ParentVersion);
        if (result.Promoted)
        {
            Assert.Equal(second.Version, recorded.Properties[ModelPropertyNames.PreviousActive]);
        }
    }

    [Fact]
    public async Task ProposeAsync_ScoresFromAReplacedChampion_AreRejectedNotApplied()
    {
        using var ours = Manager();
        var first = await ours.ProposeAsync(Bytes("first"), new ModelSaveRequest(), PromotionHoldout.FromScores(CouponHoldout.Labels, CouponHoldout.NoisyScores(), null, default));
        var second = await ours.SaveAsync(Bytes("second"), new ModelSaveRequest());
        await ours.ActivateAsync(second.Version, "meanwhile");

        // Scores computed with 'first' say the candidate is far better; they are not evidence against 'second'.
        var result = await ours.ProposeAsync(Bytes("candidate"), new ModelSaveRequest(), PromotionHoldout.FromScores(CouponHoldout.Labels, CouponHoldout.GoodScores(), first.Version.Version, CouponHoldout.NoisyScores()));

        Assert.False(result.Promoted);
        Assert.Contains("not comparable", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(second.Version, await ours.GetActiveVersionAsync());
    }

    [Fact]
    public async Task ProposeAsync_PolicyThrows_RemovesTheUndecidedCandidate()
    {
        using var ours = Manager();
        await ours.ProposeAsync(Bytes("first"), new ModelSaveRequest(), PromotionHoldout.FromScores(CouponHoldout.Labels, CouponHoldout.NoisyScores(), null, default));
        var holdout = new RacingHoldout(CouponHoldout.Labels, CouponHoldout.GoodScores(), () => throw new InvalidOperationException("scoring failed"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => ours.ProposeAsync(Bytes("candidate"), new ModelSaveRequest(), holdout));

        Assert.Single(await ours.ListAsync());
    }

    [Theory]
    [InlineData((int)StoreFaultPoint.BeforeUpdateWrite)]
    [InlineData((int)StoreFaultPoint.BeforeManifestRename)]
    public async Task ActivateAndRollback_CrashInside_LeaveTheOldStateWhole(int faultPoint)
    {
        var point = (StoreFaultPoint)faultPoint;
        var store = Store();
        using (var setup = new ModelVersionManager(store))
        {
            var v1 = await setup.SaveAsync(Bytes("one"), new ModelSaveRequest());
            var v2 = await setup.SaveAsync(Bytes("two"), new ModelSaveRequest());
            var v3 = await setup.SaveAsync(Bytes("three"), new ModelSaveRequest());
            await setup.ActivateAsync(v1.Version, "first");
            await setup.ActivateAsync(v2.Version, "second");
            await setup.SetAliasAsync(ModelAliases.Challenger, v3.Version);
            store.FaultInjector = p =>
            {
                if (p == point)
                {
                    throw new SimulatedCrashException();
                }
            };

            await Assert.ThrowsAsync<SimulatedCrashException>(() => setup.ActivateAsync(v3.Version, "crashes"));
            await Assert.ThrowsAsync<SimulatedCrashException>(() => setup.RollbackAsync());
        }

        // The restarted process sees the state before either change, every part of it.
        using var restarted = Manager();
        var versions = await restarted.ListAsync();
        Assert.Equal(versions[1].Version, await restarted.GetActiveVersionAsync());
        Assert.Equal([ModelAliases.Champion], versions[1].Aliases);
        Assert.Equal([ModelAliases.Challenger], versions[2].Aliases);
        Assert.Empty(versions[0].Aliases);
        Assert.Equal(versions[0].Version, versions[1].Properties[ModelPropertyNames.PreviousActive]);
        var back = await restarted.RollbackAsync();
        Assert.Equal(versions[0].Version, back.Version);
    }

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private FileSystemModelStore Store() => new(new FileSystemModelStoreOptions { Directory = _temp.Path });

    private ModelVersionManager Manager() => new(Store());

    /// <summary>Runs an action the first time it scores a champion, standing for another process acting meanwhile.</summary>
    private sealed class RacingHoldout(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidate, Action onFirstScore) : PromotionHoldout(labels, candidate)
    {
        public List<string> Scored { get; } = [];

        public override ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken)
        {
            Scored.Add(champion.Metadata.Version);
            if (Scored.Count == 1)
            {
                onFirstScore();
            }

            return CouponHoldout.NoisyScores();
        }
    }
}
