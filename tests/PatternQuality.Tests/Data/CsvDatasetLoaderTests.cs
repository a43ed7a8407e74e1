using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data;

public class CsvDatasetLoaderTests
{
    [Fact]
    public void Load_Coupon_InfersKindsAndKeepsMissing()
    {
        var result = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" });
        var d = result.Dataset;

        Assert.Equal(12684, d.RowCount);
        Assert.Equal(25, d.Schema.Count);
        Assert.Equal(7210, result.Inspection.Positive);
        Assert.Equal(12684 - 7210, result.Inspection.Negative);
        Assert.Equal(FeatureKind.Numeric, d.Schema[d.Schema.IndexOf("temperature")].Kind); // 3 distinct numbers: still numeric
        Assert.Equal(FeatureKind.Categorical, d.Schema[d.Schema.IndexOf("coupon")].Kind);
        var car = d.Schema.IndexOf("car");
        var missingCar = Enumerable.Range(0, d.RowCount).Count(r => float.IsNaN(d.GetRow(r)[car]));
        Assert.Equal(12576, missingCar);
        Assert.Equal(12576, result.Inspection.Columns.Single(c => c.Name == "car").Missing);
    }

    [Fact]
    public void Load_Bank_SemicolonQuotedYesNoLabelAndDrop()
    {
        var options = new CsvLoadOptions { LabelColumn = "y" };
        options.Drop.Add("duration");
        var result = CsvDatasetLoader.Load(SharedData.Bank, options);

        Assert.Equal(41188, result.Dataset.RowCount);
        Assert.Equal(4640, (int)result.Dataset.Labels.ToArray().Sum());
        Assert.Equal(-1, result.Dataset.Schema.IndexOf("duration"));
        Assert.Equal(-1, result.Dataset.Schema.IndexOf("y"));
        Assert.Equal("dropped", result.Inspection.Columns.Single(c => c.Name == "duration").Kind);
        Assert.Contains("unknown", result.Dataset.Schema[result.Dataset.Schema.IndexOf("default")].Categories);
    }

    [Fact]
    public void Load_MovieLens_ThresholdTimeAndCausalUserHistory()
    {
        var options = new CsvLoadOptions { LabelColumn = "rating", Threshold = 4, TimeColumn = "timestamp", GroupColumn = "userId" };
        options.HistoryKeys.Add("userId");
        var result = CsvDatasetLoader.Load(SharedData.MovieLensRatings, options);
        var d = result.Dataset;

        Assert.Equal(100836, d.RowCount);
        Assert.Equal(48580, result.Inspection.Positive);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(964982703).ToUnixTimeMilliseconds(), d.Timestamps!.Value.Span[0]);
        Assert.Equal("1", d.Groups![0]);
        Assert.Equal(new DateTimeOffset(1996, 3, 29, 18, 36, 55, TimeSpan.Zero), result.Inspection.TimeMin);

        // Causality on real data: each row's user count equals the number of that user's rows strictly earlier in time.
        var count = d.Schema.IndexOf("userId.history.count");
        var times = d.Timestamps!.Value.ToArray();
        foreach (var r in new[] { 0, 1, 500, 50000, 100835 })
        {
            var user = d.Groups[r];
            var earlier = Enumerable.Range(0, d.RowCount).Count(i => d.Groups[i] == user && times[i] < times[r]);
            Assert.Equal(earlier, d.GetRow(r)[count]);
        }
    }

    [Fact]
    public void Load_HistoryWithoutTime_UsesFileOrder()
    {
        using var f = new TempFile("user,y\na,1\na,1\nb,0\na,0\n");
        var options = new CsvLoadOptions { LabelColumn = "y" };
        options.HistoryKeys.Add("user");
        var d = CsvDatasetLoader.Load(f.Path, options).Dataset;
        var count = d.Schema.IndexOf("user.history.count");
        Assert.Equal([0f, 1f, 0f, 2f], Enumerable.Range(0, 4).Select(r => d.GetRow(r)[count]));
    }

    [Fact]
    public void Load_WithFittedExtractor_MapsTestFileLikeTraining()
    {
        using var train = new TempFile("color,y\nred,1\nblue,0\n");
        using var test = new TempFile("color,y\nblue,1\ngreen,0\n");
        var options = new CsvLoadOptions { LabelColumn = "y" };
        var fitted = CsvDatasetLoader.Load(train.Path, options);
        var d = CsvDatasetLoader.Load(test.Path, options, fitted.Extractor).Dataset;

        Assert.Equal(fitted.Dataset.Schema.Hash, d.Schema.Hash);
        Assert.Equal(fitted.Dataset.GetRow(1)[0], d.GetRow(0)[0]);
        Assert.Equal(0f, d.GetRow(1)[0]); // unseen "green" -> unknown
    }

    [Theory]
    [InlineData("1", "0")]
    [InlineData("true", "false")]
    [InlineData("Yes", "NO")]
    [InlineData("approved", "rejected")]
    [InlineData("1.0", "0.0")]
    public void Load_LabelSpellings_AreParsed(string positive, string negative)
    {
        using var f = new TempFile($"x,label\n1,{positive}\n2,{negative}\n");
        var d = CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "label" }).Dataset;
        Assert.Equal([1f, 0f], d.Labels.ToArray());
    }

    [Fact]
    public void Load_PositiveValue_MarksOnlyThatValue()
    {
        using var f = new TempFile("x,outcome\n1,clicked\n2,skipped\n3,CLICKED\n");
        var d = CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "outcome", PositiveValue = "clicked" }).Dataset;
        Assert.Equal([1f, 0f, 1f], d.Labels.ToArray());
    }

    [Fact]
    public void Load_UnparseableLabel_ThrowsNamingFileLineColumnAndValue()
    {
        using var f = new TempFile("x,y\n1,1\n2,maybe\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "y" }));
        Assert.Equal(3, ex.Line);
        Assert.Equal("y", ex.Column);
        Assert.Contains("'maybe'", ex.Message);
        Assert.Contains(f.Path, ex.Message);
    }

    [Fact]
    public void Load_EmptyLabel_Throws()
    {
        using var f = new TempFile("x,y\n1,\n");
        Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "y" }));
    }

    [Fact]
    public void Load_MissingLabelColumn_ListsExistingColumns()
    {
        var ex = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "approved" }));
        Assert.Equal("approved", ex.Column);
        Assert.Contains("destination, passanger, weather", ex.Message);
    }

    [Fact]
    public void Load_UnknownDropColumn_Throws()
    {
        using var f = new TempFile("x,y\n1,1\n");
        var options = new CsvLoadOptions { LabelColumn = "y" };
        options.Drop.Add("nope");
        var ex = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(f.Path, options));
        Assert.Equal("nope", ex.Column);
    }

    [Fact]
    public void Load_BadTime_ThrowsNamingLine()
    {
        using var f = new TempFile("t,y\n2026-01-01,1\nyesterday,0\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "y", TimeColumn = "t" }));
        Assert.Equal(3, ex.Line);
        Assert.Equal("t", ex.Column);
    }

    [Fact]
    public void Load_NoLabelOption_Throws()
    {
        using var f = new TempFile("x,y\n1,1\n");
        Assert.Throws<ArgumentException>(() => CsvDatasetLoader.Load(f.Path, new CsvLoadOptions()));
    }

    [Fact]
    public void Load_TabSeparatedWithoutHeader_ReadsLightGbmBinary()
    {
        var result = CsvDatasetLoader.Load(SharedData.BinaryTrain, new CsvLoadOptions { LabelColumn = "c0", HasHeader = false });
        Assert.Equal(7000, result.Dataset.RowCount);
        Assert.Equal(28, result.Dataset.Schema.Count);
        Assert.Equal(3716, result.Inspection.Positive);
    }

    [Fact]
    public void Inspect_NoLabel_CountsMissingAndDistinct()
    {
        using var f = new TempFile("a,b,c\n1,x,true\n,y,false\n3,x,\n");
        var sut = CsvDatasetLoader.Inspect(f.Path, new CsvLoadOptions());
        Assert.Equal(3, sut.Rows);
        Assert.Null(sut.Positive);
        Assert.Equal(new ColumnInspection("a", "numeric", 1, 2), sut.Columns[0]);
        Assert.Equal(new ColumnInspection("b", "categorical", 0, 2), sut.Columns[1]);
        Assert.Equal(new ColumnInspection("c", "boolean", 1, 2), sut.Columns[2]);
    }

    [Fact]
    public void InferColumns_HistoryKey_AddsHistoryColumnAfterOthers()
    {
        using var f = new TempFile("user,x,y\na,1,1\n");
        var options = new CsvLoadOptions { LabelColumn = "y" };
        options.HistoryKeys.Add("user");
        var columns = CsvDatasetLoader.InferColumns(CsvTable.Read(f.Path), options);
        Assert.Equal(
            [new RowColumn("user", RowColumnKind.Categorical), new RowColumn("x", RowColumnKind.Numeric), new RowColumn("user", RowColumnKind.History)],
            columns);
    }
}
