using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Cli.Demo;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Online;
using PatternQuality.Tests.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Scoring;

/// <summary>Issue 10 (b): history and schema travel with the model.</summary>
public sealed class ServedModelHistoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static FeatureExtractorBuilder<SimulatedPattern> Declare() => new FeatureExtractorBuilder<SimulatedPattern>()
        .Categorical("type", s => s.PatternType)
        .Numeric("confidence", s => s.Confidence)
        .Numeric("occurrences", s => s.Occurrences)
        .Timestamp("shown", s => s.ShownAt)
        .History("user", s => s.UserId);

    [Fact]
    public async Task DiScorer_AfterPublishingATrainedModel_ScoresWithTheModelsHistoryAndSurvivesARestart()
    {
        var simulator = new FeedbackSimulator(seed: 11, users: 40, days: 12, feedbackPerDay: 150, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
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

        // The Quick start's wiring: the registered extractor was fitted on known patterns and has observed nothing.
        var extractor = Declare().Fit(known);
        var services = new ServiceCollection();
        services.AddPatternQuality<SimulatedPattern>()
            .UseFeatureExtractor(extractor)
            .UseFeedbackSource(feedback)
            .UseModelStore(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
        services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 40);
        var holdout = simulator.SimulateDay(8).Concat(simulator.SimulateDay(9)).ToArray();
        var patterns = holdout.Select(r => r.Pattern).ToArray();
        float[] served;
        using (var sp = services.BuildServiceProvider())
        {
            var result = await sp.GetRequiredService<QualityTrainer>().TrainAsync(feedback, extractor.WithHistory(new HistoryState()));
            Assert.True((await sp.GetRequiredService<ModelVersionManager>().ProposeAsync(result)).Promoted);
            sp.GetRequiredService<QualityModelHolder>().Swap(result.Model);
            served = sp.GetRequiredService<PatternScorer<SimulatedPattern>>().Score(patterns);

            var withModelHistory = new PatternScorer<SimulatedPattern>(extractor.WithHistory(result.Model.History!.Clone()), new QualityModelHolder(result.Model)).Score(patterns);
            var withEmptyHistory = new PatternScorer<SimulatedPattern>(extractor.WithHistory(new HistoryState()), new QualityModelHolder(result.Model.WithHistory(null))).Score(patterns);
            Assert.Equal(withModelHistory, served);
            Assert.NotEqual(withEmptyHistory, served);
            var labels = holdout.Select(r => r.Label).ToArray();
            Assert.True(Auc(labels, served) > Auc(labels, withEmptyHistory), "the model's history should rank the holdout better than an empty one");
        }

        // A restart: re-fitting categories on other data gives another schema; rebuilding against the stored one does not.
        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
        var stored = QualityModel.Load((await versions.LoadActiveAsync())!.Content.ToArray());
        var refitted = Declare().Fit(patterns.Where(p => p.PatternType == patterns[0].PatternType));
        Assert.Throws<SchemaMismatchException>(() => stored.Info.Schema.EnsureCompatible(refitted.Schema));
        var rebuilt = Declare().Build(stored.Info.Schema);
        var restarted = new PatternScorer<SimulatedPattern>(rebuilt, new QualityModelHolder(stored)).Score(patterns);
        Assert.Equal(served, restarted);
    }

    [Fact]
    public void Build_AgainstASchemaTheDeclarationsDoNotLayOut_ThrowsNamingEachDifference()
    {
        var schema = Declare().Fit([new SimulatedPattern("p", 0.5, 3, 1, "u", OfferStream.Start)]).Schema;
        var declared = new FeatureExtractorBuilder<SimulatedPattern>()
            .Categorical("type", s => s.PatternType)
            .Numeric("confidence", s => s.Confidence)
            .Numeric("clicks", s => s.Occurrences)
            .History("user", s => s.UserId);

        var ex = Assert.Throws<SchemaMismatchException>(() => declared.Build(schema));
        Assert.Contains("clicks", ex.Message, StringComparison.Ordinal);
        Assert.Contains("occurrences", ex.Message, StringComparison.Ordinal);
        Assert.Contains("shown", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiScorer_WithTheIncrementalLearner_ReadsTheHistoryTheLearnerKeepsCurrent()
    {
        var extractor = OfferStream.Extractor();
        var model = OfferStream.Train(extractor, OfferStream.Generate(1000, seed: 1, firstSequence: 100_000));

        // As after a restart: a freshly built extractor beside the loaded model; the learner takes the model's history.
        var fresh = OfferStream.Extractor();
        var holder = new QualityModelHolder(model);
        using var learner = new IncrementalLearner<Offer>(fresh, holder, new IncrementalLearnerOptions { GuardFraction = 0 });
        var scorer = new PatternScorer<Offer>(fresh, holder);
        var probe = new Offer(0.5, 0.5, "a", "u3");
        var expected = new PatternScorer<Offer>(extractor, new QualityModelHolder(model)).Score(probe);
        Assert.Equal(expected, scorer.Score(probe));

        foreach (var r in OfferStream.Generate(200, seed: 2).Select(r => r with { Pattern = r.Pattern with { User = "u3" }, Outcome = FeedbackOutcome.Approved }))
        {
            learner.TryAdd(r);
        }

        await learner.UpdateAsync();
        fresh.History.TryGetCounts("user", "u3", out var approved, out _);
        Assert.True(approved >= 200);
        Assert.Same(fresh.History, ((QualityModel)holder.Current!).History);
        var after = scorer.Score(probe);
        var sameModelOldHistory = new PatternScorer<Offer>(extractor, new QualityModelHolder(((QualityModel)holder.Current!).WithHistory(extractor.History))).Score(probe);
        Assert.NotEqual(sameModelOldHistory, after);
    }

    private static double Auc(float[] labels, float[] scores) => PatternQuality.Evaluation.BinaryMetrics.Auc(labels, scores);
}
