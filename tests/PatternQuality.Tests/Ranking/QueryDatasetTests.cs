using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Ranking;

public class QueryDatasetTests
{
    [Fact]
    public void CsvGroupColumn_NonContiguousRows_BecomeOneQueryPerKeyInFirstAppearanceOrder()
    {
        using var csv = new TempFile("alert,x,grade\na,1,2\nb,2,0\na,3,1\nc,4,1\nb,5,3\n");
        var loaded = CsvDatasetLoader.Load(csv.Path, new CsvLoadOptions { LabelColumn = "grade", GroupColumn = "alert", GradedLabels = true });
        var data = loaded.Dataset.GroupByQuery();
        Assert.Equal([0, 2, 4, 5], data.QueryBoundaries!);
        Assert.Equal(3, data.QueryCount);
        Assert.Equal(["a", "a", "b", "b", "c"], data.Groups!);
        Assert.Equal([2f, 1f, 0f, 3f, 1f], data.Labels.ToArray());
    }

    [Fact]
    public void CsvGradedLabels_RejectsFractionsAndConflictingOptions()
    {
        using var csv = new TempFile("alert,x,grade\na,1,2.5\n");
        Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(csv.Path, new CsvLoadOptions { LabelColumn = "grade", GradedLabels = true }));
        Assert.Contains("GradedLabels", Assert.Throws<OptionsValidationException>(() => new CsvLoadOptions { LabelColumn = "grade", GradedLabels = true, Threshold = 1 }.Validate()).Message);
    }

    [Fact]
    public void GroupByQuery_WithoutKeysOrWithNullKey_Throws()
    {
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]);
        Assert.Throws<InvalidOperationException>(() => new Dataset(schema, [1, 2], [0, 1]).GroupByQuery());
        Assert.Throws<ArgumentException>(() => new Dataset(schema, [1, 2], [0, 1], groups: ["a", null]).GroupByQuery());
    }

    [Fact]
    public void SplitQueries_KeepsEveryQueryWholeOnOneSide()
    {
        var data = LambdaRankTests.Synthetic(queries: 50, seed: 2);
        var (train, holdout) = data.SplitQueries(0.2, seed: 4);
        Assert.Equal(40, train.QueryCount);
        Assert.Equal(10, holdout.QueryCount);
        Assert.Equal(data.RowCount, train.RowCount + holdout.RowCount);
        var again = data.SplitQueries(0.2, seed: 4);
        Assert.Equal(holdout.Labels.ToArray(), again.Holdout.Labels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.SplitQueries(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.SelectQueries([50]));
        Assert.Throws<InvalidOperationException>(() => data.Select([0, 1]).SplitQueries(0.5));
    }
}
