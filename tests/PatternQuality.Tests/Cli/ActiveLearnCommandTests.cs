using PatternQuality.Tests.TestUtils;
using System.Text.Json;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class ActiveLearnCommandTests
{
    [Fact]
    public void ActiveLearn_CouponJson_PrintsCurvesWithRandomAsBaseline()
    {
        using var html = new TempFile(string.Empty, ".html");
        var (code, stdout, stderr) = Run([
            "active-learn", .. TempStore.CouponFlags, "--drop", "car", "--strategy", "margin", "--strategy", "diverse",
            "--start", "100", "--batch", "100", "--budget", "300", "--seeds", "1", "--html", html.Path, "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var curves = doc.RootElement.GetProperty("curves");
        Assert.Equal(["random", "margin", "diverse"], curves.EnumerateObject().Select(p => p.Name));
        foreach (var curve in curves.EnumerateObject())
        {
            Assert.Equal([100, 200, 300], curve.Value.EnumerateArray().Select(p => p.GetProperty("labels").GetInt32()));
            Assert.All(curve.Value.EnumerateArray(), p => Assert.InRange(p.GetProperty("auc").GetDouble(), 0.5, 1));
        }

        var page = File.ReadAllText(html.Path);
        Assert.Contains("<svg", page);
        Assert.Contains("diverse", page);
    }

    [Fact]
    public void ActiveLearn_HumanOutput_PrintsATable()
    {
        var (code, stdout, stderr) = Run(["active-learn", .. TempStore.CouponFlags, "--strategy", "random", "--budget", "200", "--seeds", "1"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("random", stdout);
        Assert.Contains("200", stdout);
    }

    [Fact]
    public void ActiveLearn_UnknownStrategyOrBadBudget_FailsWithAMessage()
    {
        var (code, _, stderr) = Run(["active-learn", .. TempStore.CouponFlags, "--strategy", "oracle"]);
        Assert.NotEqual(0, code);
        Assert.Contains("oracle", stderr);

        (code, _, stderr) = Run(["active-learn", .. TempStore.CouponFlags, "--start", "500", "--budget", "100"]);
        Assert.NotEqual(0, code);
        Assert.Contains("Budget", stderr);
    }
}
