using System.Text.Json;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class CvCommandTests
{
    [Fact]
    public void Cv_CouponJson_PrintsFoldsMeanAndStd()
    {
        var (code, stdout, stderr) = Run([.. "cv".Split(' '), .. TempStore.CouponFlags, "--folds", "3", "--trees", "5", "--leaves", "8", "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("folds").GetArrayLength());
        foreach (var fold in root.GetProperty("folds").EnumerateArray())
        {
            CliAssert.HasMetrics(fold);
        }

        CliAssert.HasMetrics(root.GetProperty("mean"));
        CliAssert.HasMetrics(root.GetProperty("std"));
        Assert.InRange(root.GetProperty("mean").GetProperty("auc").GetDouble(), 0.65, 0.9);
    }

    [Fact]
    public void Cv_Group_KeepsGroupsWhole()
    {
        var (code, stdout, stderr) = Run([.. "cv".Split(' '), .. TempStore.CouponFlags, "--group", "occupation", "--folds", "2", "--trees", "3", "--leaves", "4", "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("folds").GetArrayLength());
    }
}
