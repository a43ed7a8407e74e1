using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Tests.Features;

namespace PatternQuality.Tests.Scoring;

public class PatternScorerTests
{
    private static FeatureExtractor<Suggestion> Extractor() => new FeatureExtractorBuilder<Suggestion>()
        .Numeric("confidence", s => s.Confidence)
        .Categorical("type", s => s.Type, ["time_of_day"])
        .Build();

    private static (PatternScorer<Suggestion> Sut, QualityModelHolder Holder) CreateSut(double defaultScore = 0.5)
    {
        var holder = new QualityModelHolder();
        return (new PatternScorer<Suggestion>(Extractor(), holder, new PatternQualityOptions { DefaultScore = defaultScore }), holder);
    }

    [Fact]
    public void Score_NoModelYet_ReturnsDefaultScore()
    {
        var (sut, _) = CreateSut(0.3);
        Assert.Equal(0.3f, sut.Score(new Suggestion()));
        Assert.Equal([0.3f, 0.3f], sut.Score([new Suggestion(), new Suggestion()]));
    }

    [Fact]
    public void Score_WithModel_UsesExtractedFeatures()
    {
        var (sut, holder) = CreateSut();
        holder.Swap(new FakeQualityModel(sut.Schema));
        Assert.Equal(0.9f, sut.Score(new Suggestion(Confidence: 0.9)));
    }

    [Fact]
    public void Score_Batch_UsesOneModelCall()
    {
        var (sut, holder) = CreateSut();
        var model = new FakeQualityModel(sut.Schema);
        holder.Swap(model);
        var scores = sut.Score([new Suggestion(Confidence: 0.1), new Suggestion(Confidence: 0.7)]);
        Assert.Equal([0.1f, 0.7f], scores);
        Assert.Equal(1, model.BatchCalls);
    }

    [Fact]
    public void Rank_ReturnsTopByScoreWithStableTies()
    {
        var (sut, holder) = CreateSut();
        holder.Swap(new FakeQualityModel(sut.Schema));
        var a = new Suggestion(Confidence: 0.2, User: "a");
        var b = new Suggestion(Confidence: 0.8, User: "b");
        var c = new Suggestion(Confidence: 0.8, User: "c");
        var d = new Suggestion(Confidence: 0.5, User: "d");

        var top = sut.Rank([a, b, c, d], top: 3);

        Assert.Equal(["b", "c", "d"], top.Select(t => t.Pattern.User));
        Assert.Equal(0.8f, top[0].Score);
        Assert.Equal(2, sut.Rank([a, b], top: 10).Count);
    }

    [Fact]
    public void Score_ModelOfOtherSchema_ThrowsNamingDifferences()
    {
        var (sut, holder) = CreateSut();
        var other = new FeatureSchema([new FeatureDefinition("confidence", FeatureKind.Numeric), new FeatureDefinition("extra", FeatureKind.Numeric)]);
        holder.Swap(new FakeQualityModel(other));

        var ex = Assert.Throws<SchemaMismatchException>(() => sut.Score(new Suggestion()));
        Assert.Contains("missing feature 'extra'", ex.Message);
        Assert.Contains("unexpected feature 'type'", ex.Message);
    }

    [Fact]
    public void Score_NullPattern_Throws()
    {
        var (sut, _) = CreateSut();
        Assert.Throws<ArgumentNullException>(() => sut.Score((Suggestion)null!));
        var ex = Assert.Throws<ArgumentException>(() => sut.Score([new Suggestion(), null!]));
        Assert.Contains("Pattern 1", ex.Message);
    }

    [Fact]
    public void Score_DestinationWrongLength_Throws()
    {
        var (sut, _) = CreateSut();
        Assert.Throws<ArgumentException>(() => sut.Score([new Suggestion()], new float[2]));
    }

    [Fact]
    public void Rank_TopBelowOne_Throws()
    {
        var (sut, _) = CreateSut();
        Assert.Throws<ArgumentOutOfRangeException>(() => sut.Rank([new Suggestion()], 0));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingOption()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => CreateSut(1.5));
        Assert.Contains("DefaultScore must be between 0 and 1", ex.Message);
    }

    [Fact]
    public void Score_ConcurrentWithSwaps_AlwaysUsesAWholeModel()
    {
        var (sut, holder) = CreateSut();
        holder.Swap(new FakeQualityModel(sut.Schema));
        var patterns = Enumerable.Range(0, 64).Select(i => new Suggestion(Confidence: i / 64.0)).ToArray();
        var expected = patterns.Select(p => (float)p.Confidence!.Value).ToArray();

        Parallel.For(0, 200, i =>
        {
            if (i % 10 == 0)
            {
                holder.Swap(new FakeQualityModel(sut.Schema));
            }

            Assert.Equal(expected, sut.Score(patterns));
        });
    }
}
