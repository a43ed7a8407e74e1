using PatternQuality.Data;
using PatternQuality.Features;

namespace PatternQuality.Tests.Features;

public class FeatureExtractorBuilderTests
{
    private static FeatureExtractorBuilder<Suggestion> CreateSut() => new FeatureExtractorBuilder<Suggestion>()
        .Numeric("confidence", s => s.Confidence)
        .Boolean("weekend", s => s.Weekend)
        .Categorical("type", s => s.Type, ["time_of_day", "co_occurrence"])
        .Timestamp("shown", s => s.ShownAt)
        .History("user", s => s.User);

    [Fact]
    public void Build_AllKinds_ExpandsIntoSchemaInDeclarationOrder()
    {
        var schema = CreateSut().Build().Schema;

        Assert.Equal(
            ["confidence", "weekend", "type", "shown.hour_sin", "shown.hour_cos", "shown.day_of_week", "shown.is_weekend", "user.rate", "user.count"],
            schema.Features.Select(f => f.Name));
        Assert.Equal(FeatureKind.Boolean, schema[1].Kind);
        Assert.Equal(["<unknown>", "time_of_day", "co_occurrence"], schema[2].Categories);
        Assert.Equal(FeatureKind.Boolean, schema[6].Kind);
    }

    [Fact]
    public void Build_SameDeclarations_GivesSameSchemaHash()
    {
        Assert.Equal(CreateSut().Build().Schema.Hash, CreateSut().Build().Schema.Hash);
    }

    [Fact]
    public void Numeric_DuplicateName_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateSut().Numeric("confidence", s => 1));
        Assert.Contains("'confidence' is already declared", ex.Message);
    }

    [Fact]
    public void Build_CategoricalWithoutCategories_ThrowsNamingFeature()
    {
        var sut = new FeatureExtractorBuilder<Suggestion>().Categorical("type", s => s.Type);
        var ex = Assert.Throws<InvalidOperationException>(() => sut.Build());
        Assert.Contains("'type'", ex.Message);
        Assert.Contains("Fit", ex.Message);
    }

    [Fact]
    public void Build_NoFeatures_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new FeatureExtractorBuilder<Suggestion>().Build());
    }

    [Fact]
    public void Fit_LearnsCategoriesAndFoldsRareIntoOther()
    {
        var sample = new[] { "a", "a", "b", "b", "c" }.Select(t => new Suggestion(Type: t)).ToArray();
        var sut = new FeatureExtractorBuilder<Suggestion>().Categorical("type", s => s.Type).Fit(sample, minCategoryCount: 2);

        Assert.Equal(["<unknown>", "a", "b", "<other>"], sut.Schema[0].Categories);
        Assert.Equal(1f, sut.Extract(new Suggestion(Type: "a"))[0]);
        Assert.Equal(3f, sut.Extract(new Suggestion(Type: "c"))[0]);
        Assert.Equal(0f, sut.Extract(new Suggestion(Type: "never-seen"))[0]);
        Assert.True(float.IsNaN(sut.Extract(new Suggestion(Type: null))[0]));
    }

    [Fact]
    public void Fit_MaxCategories_KeepsMostFrequent()
    {
        var sample = new[] { "a", "a", "a", "b", "b", "c" }.Select(t => new Suggestion(Type: t)).ToArray();
        var sut = new FeatureExtractorBuilder<Suggestion>().Categorical("type", s => s.Type).Fit(sample, maxCategories: 2);
        Assert.Equal(["<unknown>", "a", "b", "<other>"], sut.Schema[0].Categories);
    }

    [Fact]
    public void Fit_NullPatternInSample_ThrowsNamingPosition()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateSut().Fit([new Suggestion(), null!]));
        Assert.Contains("Pattern 1", ex.Message);
    }

    [Fact]
    public void History_NegativeSmoothing_ThrowsNamingFeature()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureExtractorBuilder<Suggestion>().History("user", s => s.User, -1));
        Assert.Contains("'user'", ex.Message);
    }
}
