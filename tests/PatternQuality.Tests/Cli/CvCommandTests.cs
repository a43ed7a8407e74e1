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

    [Fact]
    public void Cv_Folds_HelpStatesTheLibrarysRange_AndOutsideItIsRefused()
    {
        // Issue 18: the help said 2 to 100 while 101 was accepted; help and check now both come from the library's 2 to 1000.
        var (helpCode, help, _) = Run("cv", "--help");
        Assert.Equal(0, helpCode);
        Assert.Contains("2 to 1000", help, StringComparison.Ordinal);

        var (code, _, stderr) = Run([.. "cv".Split(' '), .. TempStore.CouponFlags, "--folds", "1001", "--trees", "3"]);
        Assert.NotEqual(0, code);
        Assert.Contains("1000", stderr, StringComparison.Ordinal);
    }
}
