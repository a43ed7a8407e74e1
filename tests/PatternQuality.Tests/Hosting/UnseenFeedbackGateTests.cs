using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Hosting.Internal;
using PatternQuality.Online;
using PatternQuality.Storage;
using PatternQuality.Tests.Online;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Hosting;

/// <summary>Issue 10 (c): the gate compares champion and challenger on feedback neither has learned.</summary>
public class UnseenFeedbackGateTests
{
    [Fact]
    public async Task ProposeAsync_ActiveVersionLearnedTheHoldout_JudgesAgainstTheNewestAncestorThatDidNot()
    {
        var records = OfferStream.Generate(1000, seed: 80);
        var source = new InMemoryFeedbackSource<Offer>();
        foreach (var r in records)
        {
            source.Add(r);
        }

        using var versions = new ModelVersionManager(new InMemoryModelStore());
        var early = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), records.Take(300)), 299, parent: null);
        await versions.ActivateAsync(early, "first");

        // The learning champion: it has consumed every record, the candidate's holdout included.
        var learning = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), records), 999, parent: early);
        await versions.ActivateAsync(learning, IncrementalLearner<Offer>.SnapshotReason);

        var trainer = new QualityTrainer(new QualityTrainerOptions { Split = SplitStrategy.Temporal, TestFraction = 0.2, GradientBoosting = { NumberOfTrees = 20 } });
        var candidate = await trainer.TrainAsync(source, OfferStream.Extractor());

        var proposal = await UnseenFeedbackGate.ProposeAsync(versions, candidate, source, trainedOn: learning, CancellationToken.None);

        Assert.Equal(early, proposal.Version.Properties[UnseenFeedbackGate.JudgedAgainstProperty]);
        var unseenFrom = long.Parse(proposal.Version.Properties[UnseenFeedbackGate.UnseenFromProperty], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(unseenFrom, 700, 850);
        Assert.Equal(learning, proposal.Version.ParentVersion);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProposeAsync_RollbackOrPromotionByHandWhileTraining_RejectsTheCandidateAndTheOperatorsChoiceStays(bool rollback)
    {
        var (versions, source, early, learning) = await LearningChampionAsync();
        using var owned = versions;
        var candidate = await TrainAsync(source);

        // While the candidate trained on 'learning', an operator rolled back to 'early' (or promoted it by hand).
        _ = rollback ? await versions.RollbackAsync(reason: "operator") : await versions.ActivateAsync(early, "promoted by hand");
        var proposal = await UnseenFeedbackGate.ProposeAsync(versions, candidate, source, trainedOn: learning, CancellationToken.None);

        Assert.False(proposal.Promoted);
        Assert.Contains("an operator's change wins", proposal.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(early, await versions.GetActiveVersionAsync());
    }

    [Fact]
    public async Task ProposeAsync_RollbackWithinTheLearnersLineage_RejectsTheCandidate()
    {
        var (versions, source, _, learning) = await LearningChampionAsync();
        using var _ = versions;
        var next = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), OfferStream.Generate(300, seed: 82)), 999, parent: learning);
        Assert.NotNull(await versions.TryActivateAsync(next, learning, IncrementalLearner<Offer>.SnapshotReason));
        var candidate = await TrainAsync(source);
        await versions.RollbackAsync(reason: "operator");
        Assert.Equal(learning, await versions.GetActiveVersionAsync());

        var proposal = await UnseenFeedbackGate.ProposeAsync(versions, candidate, source, trainedOn: next, CancellationToken.None);

        Assert.False(proposal.Promoted);
        Assert.Equal(learning, await versions.GetActiveVersionAsync());
    }

    [Fact]
    public async Task ProposeAsync_OnlyTheLearnersSnapshotsWhileTraining_JudgesAsUsual()
    {
        var (versions, source, early, learning) = await LearningChampionAsync();
        using var _ = versions;
        var candidate = await TrainAsync(source);

        // Trained on 'early'; the learner's snapshot 'learning' was activated meanwhile: the gate runs as always.
        var proposal = await UnseenFeedbackGate.ProposeAsync(versions, candidate, source, trainedOn: early, CancellationToken.None);

        Assert.DoesNotContain("operator", proposal.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(early, proposal.Version.Properties[UnseenFeedbackGate.JudgedAgainstProperty]);
    }

    private static async Task<(ModelVersionManager Versions, InMemoryFeedbackSource<Offer> Source, string Early, string Learning)> LearningChampionAsync()
    {
        var records = OfferStream.Generate(1000, seed: 80);
        var source = new InMemoryFeedbackSource<Offer>();
        foreach (var r in records)
        {
            source.Add(r);
        }

        var versions = new ModelVersionManager(new InMemoryModelStore());
        var early = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), records.Take(300)), 299, parent: null);
        await versions.ActivateAsync(early, "first");
        var learning = await SaveAsync(versions, OfferStream.Train(OfferStream.Extractor(), records), 999, parent: early);
        Assert.NotNull(await versions.TryActivateAsync(learning, early, IncrementalLearner<Offer>.SnapshotReason));
        return (versions, source, early, learning);
    }

    private static Task<TrainingResult> TrainAsync(InMemoryFeedbackSource<Offer> source) =>
        new QualityTrainer(new QualityTrainerOptions { Split = SplitStrategy.Temporal, TestFraction = 0.2, GradientBoosting = { NumberOfTrees = 20 } })
            .TrainAsync(source, OfferStream.Extractor());

    private static async Task<string> SaveAsync(ModelVersionManager versions, PatternQuality.Scoring.QualityModel model, long watermark, string? parent)
        => (await versions.SaveAsync(model.ToBytes(), new ModelSaveRequest
        {
            SchemaHash = model.Info.Schema.Hash,
            Watermark = new FeedbackWatermark(watermark),
            Trainer = "gbdt",
            ParentVersion = parent,
        })).Version;
}
