using System.Globalization;
using System.Text.Json;
using PatternQuality.Data;
using PatternQuality.Scoring;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary><c>pq explain</c> and <c>pq predict --explain</c> on the real coupon data.</summary>
public class ExplainCommandTests
{
    [Fact]
    public void Explain_Coupon_WritesOneColumnPerFeaturePlusBiasSummingToTheRawScore()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        var output = Path.Combine(store.Root, "contribs.csv");

        var (code, stdout, stderr) = Run(["explain", "--store", store.Dir, "--data", SharedData.Coupon, "--out", output, "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(12684, doc.RootElement.GetProperty("rows").GetInt32());
        var model = QualityModel.Load(TempStore.CouponModel);
        var contributions = CsvTable.Read(output);
        Assert.Equal([.. model.Info.Schema.Features.Select(f => f.Name), "bias"], contributions.Header);
        Assert.Equal(12684, contributions.RowCount);

        // Each row sums to the raw margin; sigmoid of it is the (identity-calibrated) score.
        var input = CsvTable.Read(SharedData.Coupon);
        var extractor = model.CreateRowExtractor();
        for (var i = 0; i < contributions.RowCount; i += 501)
        {
            var raw = contributions.GetValues(i).Sum(v => double.Parse(v, CultureInfo.InvariantCulture));
            var score = model.Score(extractor.Extract(input.GetRow(i)));
            Assert.Equal(score, 1 / (1 + Math.Exp(-raw)), 5);
        }
    }

    [Fact]
    public void Predict_WithExplain_AddsReadableReasonsNamingColumnsAndValues()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        var output = Path.Combine(store.Root, "scored.csv");

        var (code, _, stderr) = Run(["predict", "--store", store.Dir, "--data", SharedData.Coupon, "--out", output, "--explain", "3"]);

        Assert.True(code == 0, stderr);
        var input = CsvTable.Read(SharedData.Coupon);
        var scored = CsvTable.Read(output);
        Assert.Equal([.. input.Header, "score", "reasons"], scored.Header);
        var row = scored.GetRow(0);
        var reason = row["reasons"]!;
        Assert.Matches(@"^(more|less) likely approved: ", reason);

        // "coupon = Restaurant(<20) (+0.12)": a column name and that row's value as written in the file.
        Assert.Contains($"coupon = {row["coupon"]} (", reason, StringComparison.Ordinal);
        Assert.True(reason.Split(" (").Length - 1 <= 3, reason);
    }

    [Fact]
    public void Predict_ExplainZero_IsAClearError()
    {
        using var store = new TempStore();
        store.AddCouponModel();

        var (code, _, stderr) = Run(["predict", "--store", store.Dir, "--data", SharedData.Coupon, "--out", Path.Combine(store.Root, "x.csv"), "--explain", "0"]);

        Assert.Equal(1, code);
        Assert.Contains("--explain", stderr);
    }
}
