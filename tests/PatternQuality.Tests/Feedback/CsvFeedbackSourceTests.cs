using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Feedback.InMemoryFeedbackSourceTests;

namespace PatternQuality.Tests.Feedback;

public class CsvFeedbackSourceTests
{
    [Fact]
    public async Task ReadAsync_MovieLens_SequenceIsRowNumberAndResumes()
    {
        var sut = new CsvFeedbackSource(SharedData.MovieLensRatings, new CsvLoadOptions
        {
            LabelColumn = "rating",
            Threshold = 4,
            TimeColumn = "timestamp",
            GroupColumn = "userId",
        });

        var tail = await ToListAsync(sut.ReadAsync(new FeedbackWatermark(100830)));

        Assert.Equal([100831L, 100832, 100833, 100834, 100835, 100836], tail.Select(r => r.Sequence));
        Assert.Equal("610", tail[0].UserId);
        Assert.Equal("row-100836", tail[^1].Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(long.Parse(tail[^1].Pattern["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture)), tail[^1].Timestamp);
    }

    [Fact]
    public async Task ReadAsync_FeedsCausalTrainingExtraction()
    {
        using var f = new TempFile("user,kind,y\na,x,1\na,x,0\nb,y,1\n");
        var sut = new CsvFeedbackSource(f.Path, new CsvLoadOptions { LabelColumn = "y", GroupColumn = "user" });
        var records = await ToListAsync(sut.ReadAsync(FeedbackWatermark.Start));
        var extractor = RowFeatureExtractor.Create(
            [new RowColumn("kind", RowColumnKind.Categorical), new RowColumn("user", RowColumnKind.History)],
            records.Select(r => r.Pattern));

        var d = extractor.ExtractTraining(records);

        Assert.Equal([1f, 0f, 1f], d.Labels.ToArray());
        Assert.Equal([0f, 1f, 0f], Enumerable.Range(0, 3).Select(r => d.GetRow(r)[2]));
    }

    [Fact]
    public async Task ReadAsync_BadLabel_ThrowsBeforeYieldingAnything()
    {
        using var f = new TempFile("x,y\n1,1\n2,perhaps\n");
        var sut = new CsvFeedbackSource(f.Path, new CsvLoadOptions { LabelColumn = "y" });
        var seen = 0;
        var ex = await Assert.ThrowsAsync<DataFormatException>(async () =>
        {
            await foreach (var unused in sut.ReadAsync(FeedbackWatermark.Start))
            {
                seen++;
            }
        });
        Assert.Equal(0, seen);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public async Task ReadAsync_MissingLabelColumn_ListsColumns()
    {
        using var f = new TempFile("x,z\n1,1\n");
        var sut = new CsvFeedbackSource(f.Path, new CsvLoadOptions { LabelColumn = "y" });
        var ex = await Assert.ThrowsAsync<DataFormatException>(() => ToListAsync(sut.ReadAsync(FeedbackWatermark.Start)));
        Assert.Contains("the columns are: x, z", ex.Message);
    }

    [Fact]
    public void Constructor_NoLabelColumn_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CsvFeedbackSource("x.csv", new CsvLoadOptions()));
    }
}
