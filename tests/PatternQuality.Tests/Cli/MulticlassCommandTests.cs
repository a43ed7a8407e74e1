using System.Globalization;
using System.Text.Json;
using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary><c>pq train --objective multiclass</c>, then <c>pq evaluate</c> and <c>pq predict</c> on the stored version, on the coupon survey's trip destination.</summary>
public class MulticlassCommandTests
{
    private static readonly string[] Classes = ["Home", "No Urgent Place", "Work"];

    [Fact]
    public void TrainEvaluatePredict_CouponDestination_ClassColumnsAndLogLossGate()
    {
        using var store = new TempStore();
        var (code, stdout, stderr) = Run("train", "--store", store.Dir, "--data", SharedData.Coupon, "--label", "destination", "--objective", "multiclass", "--trees", "30", "--json");
        Assert.True(code == 0, stderr);
        using var trained = JsonDocument.Parse(stdout);
        var root = trained.RootElement;
        Assert.True(root.GetProperty("promoted").GetBoolean());
        Assert.Equal(Classes, root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        var metrics = root.GetProperty("metrics");
        var logLoss = metrics.GetProperty("logloss").GetDouble();
        Assert.InRange(logLoss, 0, 0.8); // the survey fixes most trips by time and direction, so it is low
        Assert.InRange(metrics.GetProperty("accuracy").GetDouble(), 0.6, 1.0);
        Assert.InRange(metrics.GetProperty("macro_f1").GetDouble(), 0.5, 1.0);
        Assert.Equal(3, root.GetProperty("per_class").EnumerateObject().Count());
        Assert.Equal(root.GetProperty("rows").GetProperty("test").GetInt32(), root.GetProperty("confusion").EnumerateArray().Sum(r => r.EnumerateArray().Sum(v => v.GetInt32())));

        // Evaluate on the whole file: mostly training rows, so no worse than the holdout.
        (code, stdout, stderr) = Run("evaluate", "--store", store.Dir, "--data", SharedData.Coupon, "--label", "destination", "--json");
        Assert.True(code == 0, stderr);
        using (var evaluated = JsonDocument.Parse(stdout))
        {
            Assert.Equal("multiclass", evaluated.RootElement.GetProperty("objective").GetString());
            Assert.True(evaluated.RootElement.GetProperty("metrics").GetProperty("logloss").GetDouble() <= logLoss + 0.02);
        }

        var output = Path.Combine(store.Root, "predicted.csv");
        (code, _, stderr) = Run("predict", "--store", store.Dir, "--data", SharedData.Coupon, "--out", output);
        Assert.True(code == 0, stderr);
        var input = CsvTable.Read(SharedData.Coupon);
        var predicted = CsvTable.Read(output);
        Assert.Equal([.. input.Header, "p_Home", "p_No Urgent Place", "p_Work", "class", "confidence"], predicted.Header);
        Assert.Equal(input.RowCount, predicted.RowCount);
        for (var i = 0; i < predicted.RowCount; i += 499)
        {
            var values = predicted.GetValues(i);
            var p = values.Skip(input.Header.Count).Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 4);
            Assert.Equal(Classes[Array.IndexOf(p, p.Max())], values[^2]);
            Assert.Equal(p.Max(), double.Parse(values[^1], CultureInfo.InvariantCulture), 6);
        }

        // A much weaker candidate is stored but not promoted: the gate compares multiclass log loss on its holdout.
        (code, stdout, stderr) = Run("train", "--store", store.Dir, "--data", SharedData.Coupon, "--label", "destination", "--objective", "multiclass", "--trees", "1", "--calibration", "none", "--json");
        Assert.True(code == 0, stderr);
        using var weak = JsonDocument.Parse(stdout);
        Assert.False(weak.RootElement.GetProperty("promoted").GetBoolean());
        Assert.Contains("log loss", weak.RootElement.GetProperty("decision").GetString(), StringComparison.Ordinal);
        Assert.Equal("none", weak.RootElement.GetProperty("calibration").GetString());
    }

    [Fact]
    public void Train_MulticlassWithForestOrExplain_ErrorsNameTheFlag()
    {
        using var store = new TempStore();
        var (code, _, stderr) = Run("train", "--store", store.Dir, "--data", SharedData.Coupon, "--label", "destination", "--objective", "multiclass", "--trainer", "forest");
        Assert.Equal(1, code);
        Assert.Contains("--trainer gbdt", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Run("train", "--store", store.Dir, "--data", SharedData.Coupon, "--label", "destination", "--objective", "ordinal");
        Assert.Equal(1, code);
        Assert.Contains("--objective", stderr, StringComparison.Ordinal);
    }
}
