using PatternQuality.Features;

namespace PatternQuality.Tests.Features;

public class FeatureSchemaTests
{
    private static FeatureSchema CreateSut() => new(
    [
        new FeatureDefinition("confidence", FeatureKind.Numeric),
        new FeatureDefinition("weekend", FeatureKind.Boolean),
        new FeatureDefinition("type", FeatureKind.Categorical, ["time_of_day", "co_occurrence"]),
    ]);

    [Fact]
    public void Hash_SameDefinitions_IsStable()
    {
        var a = CreateSut();
        var b = CreateSut();
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(64, a.Hash.Length);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Categorical_Always_ReservesUnknownAtIndexZero()
    {
        var sut = CreateSut();
        Assert.Equal(FeatureDefinition.UnknownCategory, sut[2].Categories[0]);
        Assert.Equal(3, sut[2].Categories.Count);
    }

    [Fact]
    public void EnsureCompatible_DifferentSchema_NamesEachDifference()
    {
        var sut = CreateSut();
        var other = new FeatureSchema(
        [
            new FeatureDefinition("confidence", FeatureKind.Boolean),
            new FeatureDefinition("type", FeatureKind.Categorical, ["time_of_day"]),
            new FeatureDefinition("extra", FeatureKind.Numeric),
        ]);

        var ex = Assert.Throws<SchemaMismatchException>(() => sut.EnsureCompatible(other));
        Assert.Contains("'confidence' is Boolean, expected Numeric", ex.Message);
        Assert.Contains("missing feature 'weekend'", ex.Message);
        Assert.Contains("unexpected feature 'extra'", ex.Message);
        Assert.Contains(ex.Differences, d => d.StartsWith("feature 'type' has categories", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_DuplicateName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FeatureSchema(
        [
            new FeatureDefinition("a", FeatureKind.Numeric),
            new FeatureDefinition("a", FeatureKind.Boolean),
        ]));
        Assert.Contains("'a' appears more than once", ex.Message);
    }
}
