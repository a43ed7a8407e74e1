using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Cli.Demo;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Training;

/// <summary>The README's quick start, end to end: DI wiring, training from a feedback source, the gate, scoring.</summary>
public sealed class ModelVersionManagerTrainingExtensionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static FeatureExtractor<SimulatedPattern> CreateExtractor(IEnumerable<SimulatedPattern> seen) =>
        new FeatureExtractorBuilder<SimulatedPattern>()
            .Categorical("type", s => s.PatternType)
            .Numeric("confidence", s => s.Confidence)
            .Numeric("occurrences", s => s.Occurrences)
            .Timestamp("shown", s => s.ShownAt)
            .History("user", s => s.UserId)
            .Fit(seen);

    [Fact]
    public async Task ProposeAsync_QuickStartFlow_PromotesFirstThenGatesOnTheSameHoldout()
    {
        var simulator = new FeedbackSimulator(seed: 7, users: 40, days: 20, feedbackPerDay: 150, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        var feedback = new InMemoryFeedbackSource<SimulatedPattern>();
        for (var day = 0; day < 8; day++)
        {
            foreach (var record in simulator.SimulateDay(day))
            {
                feedback.Add(record);
            }
        }

        var known = new List<SimulatedPattern>();
        await foreach (var r in feedback.ReadAsync(FeedbackWatermark.Start))
        {
            known.Add(r.Pattern);
        }

        var extractor = CreateExtractor(known);
        var services = new ServiceCollection();
        services.AddPatternQuality<SimulatedPattern>()
            .UseFeatureExtractor(extractor)
            .UseFeedbackSource(feedback)
            .UseModelStore(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
        services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 40);
        using var sp = services.BuildServiceProvider();

        var trainer = sp.GetRequiredService<QualityTrainer>();
        var versions = sp.GetRequiredService<ModelVersionManager>();
        var first = await trainer.TrainAsync(feedback, extractor.WithHistory(new HistoryState()));
        var proposal = await versions.ProposeAsync(first);
        Assert.True(proposal.Promoted);
        Assert.Contains("no champion", proposal.Decision.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(first.Watermark!.Value.Sequence, proposal.Version.WatermarkSequence);

        // Publish and score: the extractor's history now follows the model's.
        sp.GetRequiredService<QualityModelHolder>().Swap(first.Model);
        var scorer = new PatternScorer<SimulatedPattern>(extractor.WithHistory(first.Model.History!.Clone()), sp.GetRequiredService<QualityModelHolder>());
        var candidates = simulator.SimulateDay(8).Select(r => r.Pattern).Take(20).ToArray();
        var ranked = scorer.Rank(candidates, top: 3);
        Assert.Equal(3, ranked.Count);
        Assert.True(ranked[0].Score >= ranked[1].Score && ranked[1].Score >= ranked[2].Score);
        Assert.All(ranked, r => Assert.InRange(r.Score, 0f, 1f));

        // A deliberately worse candidate (a stump) loses to the champion on the same holdout.
        var weak = await new QualityTrainer(new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 1, NumberOfLeaves = 2 }, Calibration = PatternQuality.Calibration.CalibrationMethod.None })
            .TrainAsync(feedback, extractor.WithHistory(new HistoryState()));
        var rejected = await versions.ProposeAsync(weak);
        Assert.False(rejected.Promoted);
        Assert.Equal(proposal.Version.Version, await versions.GetActiveVersionAsync());
        Assert.Contains(ModelAliases.Challenger, (await versions.LoadAsync(ModelAliases.Challenger)).Metadata.Aliases);
    }

    [Fact]
    public async Task ProposeAsync_ChampionReadsOtherFeatures_KeepsCandidateAsChallenger()
    {
        var simulator = new FeedbackSimulator(seed: 3, users: 30, days: 10, feedbackPerDay: 120, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        var feedback = new InMemoryFeedbackSource<SimulatedPattern>();
        for (var day = 0; day < 6; day++)
        {
            foreach (var record in simulator.SimulateDay(day))
            {
                feedback.Add(record);
            }
        }

        var narrow = new FeatureExtractorBuilder<SimulatedPattern>().Numeric("confidence", s => s.Confidence).Build();
        var wide = CreateExtractor([]);
        using var versions = new ModelVersionManager(new InMemoryModelStore());
        var trainer = new QualityTrainer(new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 10 } });

        Assert.True((await versions.ProposeAsync(await trainer.TrainAsync(feedback, narrow))).Promoted);
        var result = await versions.ProposeAsync(await trainer.TrainAsync(feedback, wide));

        Assert.False(result.Promoted);
        Assert.Contains("not comparable", result.Decision.Reason);
        Assert.Contains("unexpected feature 'type'", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Contains(ModelAliases.Challenger, result.Version.Aliases);
    }
}
