using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Online;
using PatternQuality.Online.Internal;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Online.Internal;

public class IncrementalUpdaterTests
{
    private static readonly FeatureExtractor<Offer> _extractor = OfferStream.Extractor();

    [Fact]
    public void Update_ConsistentBatches_AddsTreesAndKeepsCachedMarginsExact()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { ReplayWindowSize = 500 }, out var start);

        for (var b = 0; b < 8; b++)
        {
            var outcome = sut.Update(Batch(100, seed: 100 + b));
            Assert.True(outcome.Accepted || outcome.Note is not null);
        }

        Assert.True(sut.UpdatedModel.TreeCount > start.TreeCount);
        Assert.Equal(500, sut.WindowCount);
        var window = sut.GetWindow();
        var margins = sut.GetWindowMargins();
        for (var r = 0; r < window.RowCount; r++)
        {
            Assert.Equal(sut.UpdatedModel.PredictRaw(window.GetRow(r)), margins[r], 9);
        }
    }

    [Fact]
    public void Update_ShiftedConcept_BeatsTheStartModelOnFreshShiftedData()
    {
        var sut = CreateSut(new IncrementalLearnerOptions(), out var start);
        for (var b = 0; b < 20; b++)
        {
            sut.Update(Batch(100, seed: 200 + b, flipped: true));
        }

        var test = Batch(2000, seed: 999, flipped: true);
        var labels = test.Labels.ToArray();
        var before = new float[test.RowCount];
        var after = new float[test.RowCount];
        for (var r = 0; r < test.RowCount; r++)
        {
            before[r] = start.PredictProbability(test.GetRow(r));
            after[r] = sut.Score(test.GetRow(r));
        }

        var aucBefore = PatternQuality.Evaluation.BinaryMetrics.Auc(labels, before);
        var aucAfter = PatternQuality.Evaluation.BinaryMetrics.Auc(labels, after);
        Assert.True(aucBefore < 0.3, $"the start model ranks the new concept backwards ({aucBefore})");
        Assert.True(aucAfter > aucBefore + 0.2, $"the updated model learned part of the new concept (a full flip is what drift and a full retrain are for) ({aucBefore} -> {aucAfter})");
    }

    [Fact]
    public void Update_HeldBackRowsContradictTheBatch_GuardKeepsTheCurrentModel()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { GuardFraction = 0.3, GuardTolerance = 0 }, out var start);

        // The first 70 rows follow the concept; the 30 held back are its mirror image, so a candidate that learned the
        // 70 better can only score the 30 worse.
        var batch = Batch(100, seed: 5, flipAfter: 70);
        var outcome = sut.Update(batch);

        Assert.False(outcome.Accepted);
        Assert.Same(start, sut.Model);
        Assert.Equal(30, outcome.HeldBackRows);
        Assert.True(outcome.CandidateLoss > outcome.CurrentLoss);
    }

    [Fact]
    public void Update_GuardOff_AlwaysAccepts()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { GuardFraction = 0 }, out _);

        var outcome = sut.Update(Batch(100, seed: 5, flipAfter: 70));

        Assert.True(outcome.Accepted);
        Assert.Equal(0, outcome.HeldBackRows);
        Assert.True(double.IsNaN(outcome.CandidateLoss));
    }

    [Fact]
    public void Update_LeafRefitWithDecay_KeepsTreeShapesAndChangesLeaves()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { NumberOfTreesPerUpdate = 0, LeafRefitDecay = 0.5, GuardFraction = 0 }, out var start);

        sut.Update(Batch(300, seed: 8, flipped: true));

        Assert.Equal(start.TreeCount, sut.UpdatedModel.TreeCount);
        var row = Batch(1, seed: 9).GetRow(0);
        Assert.NotEqual(start.PredictRaw(row), sut.UpdatedModel.PredictRaw(row));
    }

    [Fact]
    public void Update_AtTheTreeCap_AddsNoTreesAndAsksForCompaction()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { MaximumTreeCount = 33, GuardFraction = 0 }, out _);

        sut.Update(Batch(200, seed: 1));
        var second = sut.Update(Batch(200, seed: 2));

        Assert.Equal(33, sut.UpdatedModel.TreeCount);
        Assert.Equal(0, second.TreesAdded);
        Assert.True(sut.NeedsCompaction);
    }

    [Fact]
    public void Update_OneClassWindow_AddsNoTreesAndDoesNotThrow()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { GuardFraction = 0 }, out var start, seedWindow: false);

        var outcome = sut.Update(Batch(100, seed: 3, approveAll: true));

        Assert.Equal(0, outcome.TreesAdded);
        Assert.Contains("one class", outcome.Note, StringComparison.Ordinal);
        Assert.Equal(start.TreeCount, sut.Model.TreeCount);
    }

    [Fact]
    public void Update_ValuesBeyondTheBinnedRange_AreRebinnedAndSplit()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { GuardFraction = 0, NumberOfTreesPerUpdate = 5, LearningRate = 0.3 }, out _);

        sut.Update(Batch(100, seed: 30));

        // Prices move from [0, 1] to [2, 3], and there only cheap offers (below 2.5) are approved: the old bins put
        // every new price in one edge bin, so only re-binning lets a tree split them.
        var random = new Random(3);
        for (var b = 0; b < 10; b++)
        {
            var rows = Enumerable.Range(0, 100).Select(_ => new Offer(2 + random.NextDouble(), random.NextDouble(), "b", "u1")).ToArray();
            sut.Update(Rows(rows, o => o.Price < 2.5));
        }

        var cheap = _extractor.Extract(new Offer(2.1, 0.5, "b", "u1"));
        var dear = _extractor.Extract(new Offer(2.9, 0.5, "b", "u1"));
        Assert.True(sut.Model.PredictRaw(cheap) > sut.Model.PredictRaw(dear) + 1, "the new price range was split");
    }

    [Fact]
    public void Update_OtherSchema_ThrowsSchemaMismatch()
    {
        var sut = CreateSut(new IncrementalLearnerOptions(), out _);
        var other = new Dataset(new FeatureSchema([new FeatureDefinition("z", FeatureKind.Numeric)]), [1f], [1f]);

        Assert.Throws<SchemaMismatchException>(() => sut.Update(other));
    }

    [Fact]
    public void Update_LabelNotBinary_ThrowsNamingTheRow()
    {
        var sut = CreateSut(new IncrementalLearnerOptions(), out _);
        var good = Batch(2, seed: 4);
        var bad = new Dataset(good.Schema, good.Features.ToArray(), [1f, 2f]);

        var ex = Assert.Throws<ArgumentException>(() => sut.Update(bad));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_NewModel_RescoresTheWindow()
    {
        var sut = CreateSut(new IncrementalLearnerOptions { ReplayWindowSize = 300 }, out _);
        sut.Update(Batch(100, seed: 6));
        var retrained = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 5, NumberOfThreads = 1 }).Fit(Batch(500, seed: 7));

        sut.Replace(retrained, null);

        var window = sut.GetWindow();
        var margins = sut.GetWindowMargins();
        Assert.Same(retrained, sut.Model);
        Assert.Equal(retrained.PredictRaw(window.GetRow(0)), margins[0], 9);
    }

    [Fact]
    public void Ctor_RandomForest_ThrowsNamingTheFix()
    {
        var forest = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 3, NumberOfThreads = 1 }).Fit(Batch(200, seed: 1));

        var ex = Assert.Throws<ArgumentException>(() => new IncrementalUpdater(new IncrementalLearnerOptions(), forest, null));
        Assert.Contains("random forest", ex.Message, StringComparison.Ordinal);
    }

    internal static Dataset Batch(int rows, int seed, bool flipped = false, int flipAfter = -1, bool approveAll = false)
    {
        var records = OfferStream.Generate(rows, seed, flipped: flipped, approvedOverride: approveAll ? _ => true : null);
        if (flipAfter >= 0)
        {
            // Mirror the concept after row flipAfter: same patterns, opposite outcomes.
            records = records.Select((r, i) => i < flipAfter ? r : r with { Outcome = r.Outcome == PatternQuality.Feedback.FeedbackOutcome.Approved ? PatternQuality.Feedback.FeedbackOutcome.Rejected : PatternQuality.Feedback.FeedbackOutcome.Approved }).ToList();
        }

        var features = new float[rows * _extractor.Schema.Count];
        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            _extractor.Extract(records[i].Pattern, features.AsSpan(i * _extractor.Schema.Count, _extractor.Schema.Count));
            labels[i] = records[i].Label;
        }

        return new Dataset(_extractor.Schema, features, labels);
    }

    private static Dataset Rows(Offer[] offers, Func<Offer, bool> approved)
    {
        var width = _extractor.Schema.Count;
        var features = new float[offers.Length * width];
        for (var i = 0; i < offers.Length; i++)
        {
            _extractor.Extract(offers[i], features.AsSpan(i * width, width));
        }

        return new Dataset(_extractor.Schema, features, offers.Select(o => approved(o) ? 1f : 0f).ToArray());
    }

    private static IncrementalUpdater CreateSut(IncrementalLearnerOptions options, out TreeEnsembleModel start, bool seedWindow = true)
    {
        var initial = Batch(1000, seed: 42);
        start = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 30, NumberOfLeaves = 8, NumberOfThreads = 1 }).Fit(initial);
        return new IncrementalUpdater(options, start, null, seedWindow ? initial : null);
    }
}
