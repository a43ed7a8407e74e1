using System.Text.Json;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public void Report_Coupon_WritesSelfContainedHtml()
    {
        using var store = new TempStore();
        var v = store.AddCouponModel();
        var output = Path.Combine(store.Root, "report.html");

        var (code, stdout, stderr) = Run(["report", "--store", store.Dir, .. TempStore.CouponFlags, "--out", output, "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(v, doc.RootElement.GetProperty("version").GetString());
        var html = File.ReadAllText(output);
        Assert.True(html.Split("<svg").Length - 1 >= 4, "ROC, PR, reliability and importance charts");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(v, html);
        Assert.Contains("coupon", html);
        Assert.Contains("Mean |SHAP|", html);
        Assert.Contains("Permutation importance", html);
    }
}
