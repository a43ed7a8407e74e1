using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data;

public class SvmLightLoaderTests
{
    [Fact]
    public void Load_RankTrainWithQueryFile_GivesBoundariesAndGradedLabels()
    {
        var d = SvmLightLoader.Load(SharedData.RankTrain, new SvmLightLoadOptions { QueryFile = SharedData.RankTrainQuery });

        Assert.Equal(3005, d.RowCount);
        Assert.Equal(300, d.Schema.Count);
        Assert.Equal("f1", d.Schema[0].Name);
        Assert.Equal(202, d.QueryBoundaries!.Count); // 201 queries
        Assert.Equal([0, 1, 14, 19], d.QueryBoundaries.Take(4));
        Assert.Equal(3005, d.QueryBoundaries[^1]);
        Assert.Equal(4f, d.Labels.ToArray().Max());
        Assert.Equal(0.89f, d.GetRow(0)[9]); // "10:0.89"
        Assert.Equal(0f, d.GetRow(0)[0]); // absent means 0
    }

    [Fact]
    public void Load_LabelThreshold_Binarizes()
    {
        var d = SvmLightLoader.Load(SharedData.RankTrain, new SvmLightLoadOptions { LabelThreshold = 2 });
        Assert.Equal(1149, (int)d.Labels.ToArray().Sum());
        Assert.Null(d.QueryBoundaries);
    }

    [Fact]
    public void Load_DeclaredFeatureCount_FixesWidth()
    {
        using var f = new TempFile("1 2:0.5\n0 1:1 # comment\n", ".svm");
        var d = SvmLightLoader.Load(f.Path, new SvmLightLoadOptions { FeatureCount = 5 });
        Assert.Equal(5, d.Schema.Count);
        Assert.Equal([0f, 0.5f, 0f, 0f, 0f], d.GetRow(0).ToArray());
    }

    [Fact]
    public void Load_QidTokens_GiveBoundaries()
    {
        using var f = new TempFile("1 qid:1 1:1\n0 qid:1 1:0\n2 qid:2 1:3\n", ".svm");
        var d = SvmLightLoader.Load(f.Path);
        Assert.Equal([0, 2, 3], d.QueryBoundaries!);
    }

    [Theory]
    [InlineData("x 1:1\n", "label 'x'")]
    [InlineData("1 1=1\n", "index:value")]
    [InlineData("1 0:1\n", "feature index '0'")]
    [InlineData("1 1:abc\n", "value of feature 1")]
    public void Load_MalformedLine_ThrowsNamingLine(string content, string expected)
    {
        using var f = new TempFile("1 1:1\n" + content, ".svm");
        var ex = Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(f.Path));
        Assert.Equal(2, ex.Line);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Load_IndexBeyondDeclaredCount_Throws()
    {
        using var f = new TempFile("1 7:1\n", ".svm");
        Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(f.Path, new SvmLightLoadOptions { FeatureCount = 5 }));
    }

    [Fact]
    public void Load_QuerySizesDoNotMatch_ThrowsNamingQueryFile()
    {
        using var data = new TempFile("1 1:1\n0 1:0\n1 1:1\n", ".svm");
        using var query = new TempFile("2\n2\n", ".query");
        var ex = Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(data.Path, new SvmLightLoadOptions { QueryFile = query.Path }));
        Assert.Equal(query.Path, ex.Path);
    }

    [Fact]
    public void Load_EmptyFile_Throws()
    {
        using var f = new TempFile("# only a comment\n", ".svm");
        Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(f.Path));
    }
}
