using PatternQuality.Data;

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

    [Fact]
    public void Hash_CategoryOrderChanges_Differs()
    {
        var other = new FeatureSchema(
        [
            new FeatureDefinition("confidence", FeatureKind.Numeric),
            new FeatureDefinition("weekend", FeatureKind.Boolean),
            new FeatureDefinition("type", FeatureKind.Categorical, ["co_occurrence", "time_of_day"]),
        ]);
        Assert.NotEqual(CreateSut().Hash, other.Hash);
        Assert.Contains(CreateSut().DescribeDifferences(other), d => d.Contains("'type' has categories", StringComparison.Ordinal));
    }

    [Fact]
    public void DescribeDifferences_Reordered_NamesPositions()
    {
        var sut = CreateSut();
        var reordered = new FeatureSchema([sut[1], sut[0], sut[2]]);
        var diffs = sut.DescribeDifferences(reordered);
        Assert.Contains("feature 'confidence' is at position 1, expected 0", diffs);
    }

    [Fact]
    public void IndexOf_UnknownName_ReturnsMinusOne()
    {
        Assert.Equal(2, CreateSut().IndexOf("type"));
        Assert.Equal(-1, CreateSut().IndexOf("nope"));
    }

    [Fact]
    public void Indexer_OutOfRange_ThrowsNamingCount()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CreateSut()[5]);
        Assert.Contains("3 features", ex.Message);
    }
}
