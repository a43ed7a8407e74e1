using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Hosting.Internal;
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
        await versions.ActivateAsync(learning, "incremental update");

        var trainer = new QualityTrainer(new QualityTrainerOptions { Split = SplitStrategy.Temporal, TestFraction = 0.2, GradientBoosting = { NumberOfTrees = 20 } });
        var candidate = await trainer.TrainAsync(source, OfferStream.Extractor());

        var proposal = await UnseenFeedbackGate.ProposeAsync(versions, candidate, source, CancellationToken.None);

        Assert.Equal(early, proposal.Version.Properties[UnseenFeedbackGate.JudgedAgainstProperty]);
        var unseenFrom = long.Parse(proposal.Version.Properties[UnseenFeedbackGate.UnseenFromProperty], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(unseenFrom, 700, 850);
        Assert.Equal(learning, proposal.Version.ParentVersion);
    }

    private static async Task<string> SaveAsync(ModelVersionManager versions, PatternQuality.Scoring.QualityModel model, long watermark, string? parent)
        => (await versions.SaveAsync(model.ToBytes(), new ModelSaveRequest
        {
            SchemaHash = model.Info.Schema.Hash,
            Watermark = new FeedbackWatermark(watermark),
            Trainer = "gbdt",
            ParentVersion = parent,
        })).Version;
}
