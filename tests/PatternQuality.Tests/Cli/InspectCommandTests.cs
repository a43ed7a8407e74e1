using System.Text.Json;
using PatternQuality.Cli;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Cli;

public class InspectCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = PqApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Inspect_CouponJson_PrintsOneObjectWithAllFields()
    {
        var (code, stdout, stderr) = Run("inspect", "--data", SharedData.Coupon, "--label", "Y", "--json");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var doc = JsonDocument.Parse(stdout); // throws if anything besides one JSON value is printed
        var root = doc.RootElement;
        Assert.Equal(12684, root.GetProperty("rows").GetInt32());
        Assert.Equal(26, root.GetProperty("columns").GetArrayLength());
        var car = root.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "car");
        Assert.Equal("categorical", car.GetProperty("kind").GetString());
        Assert.Equal(12576, car.GetProperty("missing").GetInt32());
        Assert.Equal(7210, root.GetProperty("label").GetProperty("positive").GetInt32());
        Assert.Equal(5474, root.GetProperty("label").GetProperty("negative").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("time_range").ValueKind);
    }

    [Fact]
    public void Inspect_MovieLensJson_HasTimeRange()
    {
        var (code, stdout, _) = Run("inspect", "--data", SharedData.MovieLensRatings, "--label", "rating", "--threshold", "4", "--time", "timestamp", "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var range = doc.RootElement.GetProperty("time_range");
        Assert.Equal("1996-03-29T18:36:55Z", range.GetProperty("min").GetString());
        Assert.Equal("2018-09-24T14:27:30Z", range.GetProperty("max").GetString());
        Assert.Equal(48580, doc.RootElement.GetProperty("label").GetProperty("positive").GetInt32());
    }

    [Fact]
    public void Inspect_SvmLightWithQuery_IsDetected()
    {
        var (code, stdout, _) = Run("inspect", "--data", SharedData.RankTrain, "--query", SharedData.RankTrainQuery, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(3005, doc.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(300, doc.RootElement.GetProperty("columns").GetArrayLength());
    }

    [Fact]
    public void Inspect_Human_PrintsTableAndBalance()
    {
        var (code, stdout, _) = Run("inspect", "--data", SharedData.Bank, "--label", "y", "--drop", "duration");
        Assert.Equal(0, code);
        Assert.Contains("41,188 rows", stdout);
        Assert.Contains("dropped", stdout);
        Assert.Contains("4640 positive, 36548 negative", stdout);
    }

    [Fact]
    public void Inspect_MissingLabelColumn_ErrorOnStderrWithColumnsAndExitOne()
    {
        var (code, stdout, stderr) = Run("inspect", "--data", SharedData.Bank, "--label", "approved", "--json");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("age, job, marital", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_RaggedFile_NamesLine()
    {
        using var f = new TempFile("a,b\n1,2\n3\n");
        var (code, _, stderr) = Run("inspect", "--data", f.Path);
        Assert.Equal(1, code);
        Assert.Contains("line 3", stderr);
    }

    [Fact]
    public void Inspect_MissingFile_ExitOne()
    {
        var (code, _, stderr) = Run("inspect", "--data", "/nonexistent/data.csv");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public void Inspect_BadDelimiterFlag_ExitOne()
    {
        var (code, _, stderr) = Run("inspect", "--data", SharedData.Coupon, "--delimiter", ";;");
        Assert.Equal(1, code);
        Assert.Contains("--delimiter", stderr);
    }

    [Fact]
    public void Inspect_NoData_IsAParseError()
    {
        var (code, _, _) = Run("inspect");
        Assert.NotEqual(0, code);
    }
}
