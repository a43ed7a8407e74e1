using PatternQuality.Cli.Reporting;

namespace PatternQuality.Tests.Cli;

public class HtmlReportWriterTests
{
    private static ReportContent CreateContent() => new()
    {
        Title = "A <test> report",
        Labels = [0, 1, 1, 0, 1, 0, 1, 1],
        Scores = [0.1f, 0.8f, 0.7f, 0.3f, 0.9f, 0.6f, 0.4f, 0.95f],
        Metrics = [new("auc", 0.8), new("ece", double.NaN)],
        FeatureImportance = [new("confidence", 0.6), new("type", 0.4)],
        Tables = [new ReportTable("Timeline", ["day", "version"], [["1", "v0001"]])],
    };

    [Fact]
    public void Render_HasThreeOrMoreSvgAndNoScript()
    {
        var html = HtmlReportWriter.Render(CreateContent());

        Assert.True(html.Split("<svg").Length - 1 >= 3);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("A &lt;test&gt; report", html);
        Assert.Contains("Timeline", html);
        Assert.Contains("n/a", html);
    }

    [Fact]
    public void RocPoints_PerfectRanking_GoesThroughTopLeft()
    {
        var points = HtmlReportWriter.RocPoints([0, 0, 1, 1], [0.1f, 0.2f, 0.8f, 0.9f]);
        Assert.Contains((0.0, 1.0), points);
        Assert.Equal((1.0, 1.0), points[^1]);
    }

    [Fact]
    public void Curves_TiedScores_OnePointPerDistinctScore()
    {
        float[] labels = [1, 0, 1, 0];
        float[] scores = [0.9f, 0.5f, 0.5f, 0.1f];

        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0)], HtmlReportWriter.RocPoints(labels, scores));
        Assert.Equal([(0.5, 1.0), (1.0, 2.0 / 3), (1.0, 0.5)], HtmlReportWriter.PrPoints(labels, scores));
        Assert.Empty(HtmlReportWriter.PrPoints([0, 0], [0.2f, 0.3f]));
    }

    [Fact]
    public void Render_LengthMismatch_Throws()
    {
        var content = new ReportContent { Title = "x", Labels = [1], Scores = [0.1f, 0.2f] };
        Assert.Throws<ArgumentException>(() => HtmlReportWriter.Render(content));
    }
}
