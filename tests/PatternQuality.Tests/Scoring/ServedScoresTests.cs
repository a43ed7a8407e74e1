using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Tests.Features;

namespace PatternQuality.Tests.Scoring;

/// <summary>
/// Issue 10: a response must name the version that scored it. A swap (a rollback or promotion adopted by the learner)
/// that lands while a batch is scored is made deterministic here: the extractor performs it in the middle of the batch.
/// </summary>
public sealed class ServedScoresTests
{
    [Fact]
    public void ScoreServed_SwapWhileTheBatchIsScored_NamesTheVersionThatScoredIt()
    {
        var holder = new QualityModelHolder();
        QualityModelHolder? swapDuringExtraction = null;
        var schema = Extractor(() => { }).Schema;
        var before = new VersionedModel(schema, "v-before", invert: false);
        var after = new VersionedModel(schema, "v-after", invert: true);
        var extractor = Extractor(() =>
        {
            // The adoption lands between the scorer's read of the model and the end of the batch.
            if (Interlocked.Exchange(ref swapDuringExtraction, null) is { } h)
            {
                h.Swap(after);
            }
        });
        var scorer = new PatternScorer<Suggestion>(extractor, holder);
        holder.Swap(before);
        Suggestion[] batch = [new(Confidence: 0.2), new(Confidence: 0.9)];

        // What the endpoint did: score, then read the version. The swap makes it name the new version beside the old scores.
        swapDuringExtraction = holder;
        var racyScores = scorer.Score(batch);
        var racyVersion = holder.ServedVersion;
        Assert.Equal("v-after", racyVersion);
        Assert.Equal([0.2f, 0.9f], racyScores);

        // ScoreServed reads the model and its version together: the version is the one whose scores are returned.
        holder.Swap(before);
        swapDuringExtraction = holder;
        var served = scorer.ScoreServed(batch);
        Assert.Equal("v-before", served.Version);
        Assert.Equal([0.2f, 0.9f], served.Scores);
        Assert.Null(swapDuringExtraction);

        // The next batch is scored by the adopted version and says so.
        var next = scorer.ScoreServed(batch);
        Assert.Equal("v-after", next.Version);
        Assert.Equal([0.8f, 0.1f], next.Scores, (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void ServedVersion_UnsavedUpdatesKeepTheVersionTheyBuildOn_AndNoModelGivesTheDefaultScore()
    {
        var holder = new QualityModelHolder();
        var scorer = new PatternScorer<Suggestion>(Extractor(() => { }), holder, new PatternQualityOptions { DefaultScore = 0.25 });
        var empty = scorer.ScoreServed([new Suggestion(Confidence: 0.7)]);
        Assert.Null(empty.Version);
        Assert.Equal([0.25f], empty.Scores);

        holder.Swap(new VersionedModel(scorer.Schema, "v1", invert: false));
        holder.Swap(new VersionedModel(scorer.Schema, null, invert: true));
        Assert.Equal("v1", holder.ServedVersion);
        var served = scorer.ScoreServed([new Suggestion(Confidence: 0.7)]);
        Assert.Equal("v1", served.Version);
        Assert.Equal(0.3f, served.Scores[0], 1e-6f);
        Assert.Throws<ArgumentNullException>(() => scorer.ScoreServed(null!));
        Assert.Throws<ArgumentException>(() => scorer.ScoreServed([null!]));
    }

    private static FeatureExtractor<Suggestion> Extractor(Action onExtract) => new FeatureExtractorBuilder<Suggestion>()
        .Numeric("confidence", s =>
        {
            onExtract();
            return s.Confidence;
        })
        .Build();

    private sealed class VersionedModel(FeatureSchema schema, string? version, bool invert) : IQualityModel
    {
        public ModelInfo Info { get; } = new(schema, "fake") { Version = version };

        public float Score(ReadOnlySpan<float> features) => invert ? 1f - features[0] : features[0];

        public void Score(ReadOnlySpan<float> features, Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Score(features.Slice(i, 1));
            }
        }
    }
}
