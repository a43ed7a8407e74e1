using System.Globalization;
using System.Text.Json;
using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class PredictCommandTests
{
    [Fact]
    public void Predict_Coupon_WritesInputRowsWithScoreColumn()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        var output = Path.Combine(store.Root, "scored.csv");

        var (code, stdout, stderr) = Run(["predict", "--store", store.Dir, "--data", SharedData.Coupon, "--out", output, "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(12684, doc.RootElement.GetProperty("rows").GetInt32());
        var input = CsvTable.Read(SharedData.Coupon);
        var scored = CsvTable.Read(output);
        Assert.Equal([.. input.Header, "score"], scored.Header);
        Assert.Equal(input.RowCount, scored.RowCount);
        Assert.Equal(input.GetValues(5), scored.GetValues(5).Take(input.Header.Count));
        for (var i = 0; i < scored.RowCount; i += 997)
        {
            var score = double.Parse(scored.GetValues(i)[^1], CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 1);
        }
    }

    [Fact]
    public void Predict_MissingColumns_ErrorNamesThem()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        using var f = new TempFile("destination,weather\nHome,Sunny\n");

        var (code, _, stderr) = Run("predict", "--store", store.Dir, "--data", f.Path, "--out", Path.Combine(store.Root, "x.csv"));

        Assert.Equal(1, code);
        Assert.Contains("coupon", stderr);
        Assert.False(File.Exists(Path.Combine(store.Root, "x.csv")));
    }
}
