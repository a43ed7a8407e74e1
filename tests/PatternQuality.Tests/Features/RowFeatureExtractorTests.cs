using PatternQuality.Data;
using PatternQuality.Features;

namespace PatternQuality.Tests.Features;

public class RowFeatureExtractorTests
{
    private static Dictionary<string, string?> Row(params (string Key, string? Value)[] cells)
        => cells.ToDictionary(c => c.Key, c => c.Value);

    [Fact]
    public void Create_DeclaredColumns_ParsesEachKind()
    {
        var sut = RowFeatureExtractor.Create(
        [
            new RowColumn("score", RowColumnKind.Numeric),
            new RowColumn("flag", RowColumnKind.Boolean),
            new RowColumn("type", RowColumnKind.Categorical) { Categories = ["a", "b"] },
            new RowColumn("at", RowColumnKind.Timestamp),
            new RowColumn("user", RowColumnKind.History),
        ]);

        var v = sut.Extract(Row(("score", "1.5"), ("flag", "yes"), ("type", "b"), ("at", "2026-11-21T18:00:00Z"), ("user", "u1")));

        Assert.Equal("user.history.rate", sut.Schema[7].Name);
        Assert.Equal(1.5f, v[0]);
        Assert.Equal(1f, v[1]);
        Assert.Equal(2f, v[2]);
        Assert.Equal(1f, v[6]); // Saturday
        Assert.Equal(0f, v[8]);
    }

    [Fact]
    public void Extract_MissingOrEmptyOrUnparseable_IsMissing()
    {
        var sut = RowFeatureExtractor.Create([new RowColumn("score", RowColumnKind.Numeric), new RowColumn("flag", RowColumnKind.Boolean)]);
        Assert.All(sut.Extract(Row()), x => Assert.True(float.IsNaN(x)));
        Assert.All(sut.Extract(Row(("score", ""), ("flag", " "))), x => Assert.True(float.IsNaN(x)));
        Assert.True(float.IsNaN(sut.Extract(Row(("score", "abc")))[0]));
        Assert.True(float.IsNaN(sut.Extract(Row(("score", "Infinity")))[0]));
    }

    [Fact]
    public void Create_UnixSecondsTimestamp_IsParsed()
    {
        var sut = RowFeatureExtractor.Create([new RowColumn("at", RowColumnKind.Timestamp)]);
        var v = sut.Extract(Row(("at", "0"))); // 1970-01-01 00:00 UTC, a Thursday
        Assert.Equal(1f, v[1], 5);
        Assert.Equal((float)DayOfWeek.Thursday, v[2]);
    }

    [Fact]
    public void Create_SampleRows_LearnsCategories()
    {
        var sut = RowFeatureExtractor.Create(
            [new RowColumn("type", RowColumnKind.Categorical)],
            [Row(("type", "x")), Row(("type", "y")), Row(("type", "")), Row()]);
        Assert.Equal(["<unknown>", "x", "y"], sut.Schema[0].Categories);
        Assert.Equal(0f, sut.Extract(Row(("type", "z")))[0]);
    }

    [Fact]
    public void Create_NoColumns_Throws()
    {
        Assert.Throws<ArgumentException>(() => RowFeatureExtractor.Create([]));
    }

    [Fact]
    public void Restore_ColumnsAndSchema_GiveTheSameSchemaAndMapping()
    {
        var columns = new[] { new RowColumn("type", RowColumnKind.Categorical), new RowColumn("n", RowColumnKind.Numeric) };
        var fitted = RowFeatureExtractor.Create(columns, [Row(("type", "x")), Row(("type", "y")), Row(("type", "y"))], minCategoryCount: 2);

        var sut = RowFeatureExtractor.Restore(columns, fitted.Schema);

        Assert.Equal(fitted.Schema.Hash, sut.Schema.Hash);
        Assert.Equal(fitted.Extract(Row(("type", "y")))[0], sut.Extract(Row(("type", "y")))[0]);
    }

    [Fact]
    public void Restore_OtherColumns_ThrowsSchemaMismatch()
    {
        var fitted = RowFeatureExtractor.Create([new RowColumn("n", RowColumnKind.Numeric)]);
        var ex = Assert.Throws<SchemaMismatchException>(() => RowFeatureExtractor.Restore([new RowColumn("m", RowColumnKind.Numeric)], fitted.Schema));
        Assert.Contains("missing feature 'n'", ex.Message);
    }
}
