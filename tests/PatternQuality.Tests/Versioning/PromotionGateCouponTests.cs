using PatternQuality.Data;
using PatternQuality.Storage;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.Training;
using PatternQuality.Training;
using PatternQuality.Versioning;
using Xunit.Abstractions;

namespace PatternQuality.Tests.Versioning;

/// <summary>
/// The default gate as users meet it: real coupon models trained by <see cref="QualityTrainer"/> and proposed through
/// <see cref="ModelVersionManager.ProposeAsync"/>, all judged on the same 2,537 fresh rows (every fifth row).
/// </summary>
public sealed class PromotionGateCouponTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Lazy<(Dataset Train, Dataset Holdout)> _split = new(() =>
    {
        var data = TrainingFixtures.Coupon.Dataset;
        var all = Enumerable.Range(0, data.RowCount).ToArray();
        return (data.Select(all.Where(i => i % 5 != 0).ToArray()), data.Select(all.Where(i => i % 5 == 0).ToArray()));
    });

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ProposeAsync_RealCoupon_BetterPromotedEqualAndFlippedRejected()
    {
        var (train, holdout) = _split.Value;
        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));

        // Champion: 10 trees on a third of the training rows.
        var small = train.Select(Enumerable.Range(0, train.RowCount).Where(i => i % 3 == 0).ToArray());
        var champion = await Trainer(10).TrainAsync(small, holdout);
        Assert.True((await versions.ProposeAsync(champion)).Promoted);

        // The same settings and data again: the same model, nothing improves.
        var equal = await versions.ProposeAsync(await Trainer(10).TrainAsync(small, holdout));
        output.WriteLine($"equal: {equal.Decision.Reason}");
        Assert.False(equal.Promoted, equal.Decision.Reason);
        Assert.StartsWith("Rejected: log loss is not lower", equal.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(0, equal.Decision.LogLossDelta, 9);

        // A model whose outputs are inverted (trained on flipped labels) ranks the holdout backwards.
        var flippedData = new Dataset(train.Schema, train.Features.ToArray(), train.Labels.ToArray().Select(y => 1 - y).ToArray());
        var flipped = await versions.ProposeAsync(await Trainer(60).TrainAsync(flippedData, holdout));
        output.WriteLine($"flipped: {flipped.Decision.Reason}");
        Assert.False(flipped.Promoted, flipped.Decision.Reason);
        Assert.StartsWith("Rejected: AUC may be worse", flipped.Decision.Reason, StringComparison.Ordinal);
        Assert.True(flipped.Decision.CandidateAuc < 0.5, flipped.Decision.Reason);

        // More trees on all the training rows: better ranking and lower log loss, promoted with the numbers recorded.
        var better = await versions.ProposeAsync(await Trainer(120).TrainAsync(train, holdout));
        var d = better.Decision;
        output.WriteLine($"better: {d.Reason}");
        Assert.True(better.Promoted, d.Reason);
        Assert.Equal(2537, d.Positives + d.Negatives);
        Assert.True(d.AucDeltaLower > -0.005 && d.LogLossDeltaUpper < 0, d.Reason);
        Assert.Contains("one-sided 95% upper bound", d.Reason, StringComparison.Ordinal);
        Assert.Equal(better.Version.Version, await versions.GetActiveVersionAsync());
        var stored = (await versions.ListAsync()).Single(v => v.Version == better.Version.Version);
        Assert.Equal("PairedLogLoss", stored.Properties[ModelPropertyNames.PromotionPrefix + "rule"]);
        Assert.True(double.Parse(stored.Properties[ModelPropertyNames.PromotionPrefix + "logLossDeltaUpper"], System.Globalization.CultureInfo.InvariantCulture) < 0);
    }

    [Fact]
    public async Task ProposeAsync_RelativeImprovementPreset_KeepsTheSeedRule()
    {
        var (train, holdout) = _split.Value;
        var preset = new DefaultPromotionPolicy(new PromotionPolicyOptions { Rule = PromotionRule.RelativeImprovement });
        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }), policy: preset);
        var champion = await Trainer(60).TrainAsync(train, holdout);
        Assert.True((await versions.ProposeAsync(champion)).Promoted);
        var candidate = await Trainer(80).TrainAsync(train, holdout);

        var proposed = await versions.ProposeAsync(candidate);
        var byDefault = new DefaultPromotionPolicy().Decide(new PromotionArguments(holdout.Labels, champion.TestScores, candidate.TestScores));

        var d = proposed.Decision;
        output.WriteLine($"preset: {d.Reason}");
        output.WriteLine($"default: {byDefault.Reason}");
        // The case: better on AUC, log loss and Brier by a few percent; the seed rule wants 5%, the default a paired gain.
        Assert.Equal("RelativeImprovement", d.Rule);
        Assert.False(proposed.Promoted, d.Reason);
        Assert.StartsWith("Rejected: neither Brier score nor calibration error improved by 5%", d.Reason, StringComparison.Ordinal);
        Assert.InRange(d.BrierImprovement, 0, 0.05);
        Assert.True(d.AucDelta > 0, d.Reason);
        Assert.Equal(byDefault.BrierImprovement, d.BrierImprovement, 12);
        Assert.True(byDefault.Promoted, byDefault.Reason);
        Assert.True(byDefault.CandidateLogLoss < byDefault.ChampionLogLoss, byDefault.Reason);
    }

    private static QualityTrainer Trainer(int trees) => new(new QualityTrainerOptions
    {
        GradientBoosting = { NumberOfTrees = trees },
        CalibrationFolds = 3,
    });
}
