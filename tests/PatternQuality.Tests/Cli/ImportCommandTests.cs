using System.Globalization;
using System.Text.Json;
using PatternQuality.Tests.Interop;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Tests.Trees;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary><c>pq import</c> then <c>pq predict</c> gives the source library's predictions.</summary>
public class ImportCommandTests
{
    private static double[] PredictColumn(TempStore store, string data)
    {
        using var output = new TempFile(string.Empty);
        var (code, _, stderr) = Run("predict", "--store", store.Dir, "--data", data, "--no-header", "--label", "c0", "--out", output.Path);
        Assert.True(code == 0, stderr);
        return File.ReadAllLines(output.Path).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l[(l.LastIndexOf('\t') + 1)..], CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void ImportXGBoost100Trees_ThenPredict_EqualsBoosterPredict()
    {
        using var store = new TempStore();

        var (code, stdout, stderr) = Run(
            "import", "--store", store.Dir, "--xgboost", XGBoostModelImporterTests.Fixture("xgb_binary_100.json"),
            "--data", SharedData.BinaryTest, "--no-header", "--label", "c0", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("active").GetBoolean());
        Assert.Equal(100, doc.RootElement.GetProperty("trees").GetInt32());
        Assert.InRange(doc.RootElement.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.7, 0.9);
        var expected = File.ReadAllLines(XGBoostModelImporterTests.Fixture("xgb_binary_100.pred")).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var actual = PredictColumn(store, SharedData.BinaryTest);
        Assert.Equal(expected.Length, actual.Length);
        var max = expected.Select((p, r) => Math.Abs(p - actual[r])).Max();
        Assert.True(max <= 1e-5, $"max difference {max:E2}");
    }

    [Fact]
    public void ImportLightGbm_SecondVersion_StoredNotActivated()
    {
        using var store = new TempStore();
        using var model = new TempFile(string.Empty, ".txt");
        LightGbmNative.TrainAndSave(TestData.BinaryTrain, "objective=binary verbosity=-1 num_threads=1 num_leaves=7", 10, model.Path);
        string[] args = ["import", "--store", store.Dir, "--lightgbm", model.Path, "--data", SharedData.BinaryTest, "--no-header", "--label", "c0"];

        var first = Run(args);
        var (code, stdout, stderr) = Run(args);

        Assert.True(first.Code == 0, first.Err);
        Assert.True(code == 0, stderr);
        Assert.Contains("promote it with pq promote", stdout);
        var expected = LightGbmNative.Predict(model.Path, TestData.BinaryTest, raw: false);
        var actual = PredictColumn(store, SharedData.BinaryTest);
        Assert.True(expected.Select((p, r) => Math.Abs(p - actual[r])).Max() <= 1e-5);
    }

    [Fact]
    public void Import_NeitherOrBothModels_UsageError_MalformedModel_ExitOne()
    {
        using var store = new TempStore();
        string[] data = ["--data", SharedData.BinaryTest, "--no-header", "--label", "c0"];
        Assert.Equal(2, Run(["import", "--store", store.Dir, .. data]).Code);
        Assert.Equal(2, Run(["import", "--store", store.Dir, "--xgboost", "a", "--lightgbm", "b", .. data]).Code);
        using var bad = new TempFile("{not json", ".json");
        var (code, _, stderr) = Run(["import", "--store", store.Dir, "--xgboost", bad.Path, .. data]);
        Assert.Equal(1, code);
        Assert.Contains("malformed", stderr);
        Assert.Equal(1, Run(["import", "--store", store.Dir, "--xgboost", bad.Path, "--data", SharedData.BinaryTest, "--no-header"]).Code);
    }
}
