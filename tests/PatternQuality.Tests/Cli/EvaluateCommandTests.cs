using System.Text.Json;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class EvaluateCommandTests
{
    [Fact]
    public void Evaluate_CouponJson_PrintsVersionRowsAndMetrics()
    {
        using var store = new TempStore();
        var v = store.AddCouponModel();

        var (code, stdout, stderr) = Run(["evaluate", "--store", store.Dir, .. TempStore.CouponFlags, "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(v, root.GetProperty("version").GetString());
        Assert.Equal(12684, root.GetProperty("rows").GetInt32());
        CliAssert.HasMetrics(root.GetProperty("metrics"));
        Assert.InRange(root.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.65, 1.0);
    }

    [Fact]
    public void Evaluate_FileLackingModelColumns_ErrorNamesThem()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        using var f = new TempFile("destination,weather,Y\nHome,Sunny,1\nWork,Rainy,0\n");

        var (code, stdout, stderr) = Run("evaluate", "--store", store.Dir, "--data", f.Path, "--label", "Y", "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("lacks", stderr);
        Assert.Contains("passanger", stderr);
        Assert.Contains("temperature", stderr);
    }

    [Fact]
    public void Evaluate_UnknownVersion_ExitOne()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        var (code, _, stderr) = Run(["evaluate", "--store", store.Dir, "--version", "nope", .. TempStore.CouponFlags, "--json"]);
        Assert.Equal(1, code);
        Assert.Contains("nope", stderr);
    }

    [Fact]
    public void Evaluate_SvmLightAgainstCsvModel_ExplainsMismatch()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        var (code, _, stderr) = Run("evaluate", "--store", store.Dir, "--data", SharedData.RankTrain, "--threshold", "1", "--json");
        Assert.Equal(1, code);
        Assert.Contains("SVMlight", stderr);
    }

    [Fact]
    public void Evaluate_EmptyStore_SaysNoActiveVersion()
    {
        using var store = new TempStore();
        Directory.CreateDirectory(store.Dir);
        var (code, _, stderr) = Run(["evaluate", "--store", store.Dir, .. TempStore.CouponFlags]);
        Assert.Equal(1, code);
        Assert.Contains("no active model version", stderr);
    }

    [Fact]
    public void Evaluate_TruncatedActiveModel_ErrorNamesFile_ActiveStaysActive()
    {
        using var store = new TempStore();
        var v = store.AddCouponModel();
        var file = Path.Combine(store.Dir, "models", v + ".pqm");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..100]);

        var (code, stdout, stderr) = Run(["evaluate", "--store", store.Dir, .. TempStore.CouponFlags, "--json"]);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains(v + ".pqm", stderr);
        var (_, versions, _) = Run("versions", "--store", store.Dir, "--json");
        using var doc = JsonDocument.Parse(versions);
        Assert.Equal(v, doc.RootElement.GetProperty("active").GetString());
    }

    [Fact]
    public void Evaluate_SvmLightModel_OnSvmLightTestFile()
    {
        using var store = new TempStore();
        var (trainCode, _, trainErr) = Run("train", "--store", store.Dir, "--data", SharedData.RankTrain, "--threshold", "1", "--trees", "3", "--leaves", "4", "--calibration", "none", "--json");
        Assert.True(trainCode == 0, trainErr);

        var (code, stdout, stderr) = Run("evaluate", "--store", store.Dir, "--data", SharedData.Path("lightgbm-examples", "lambdarank", "rank.test"), "--format", "svmlight", "--threshold", "1", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(768, doc.RootElement.GetProperty("rows").GetInt32());
        CliAssert.HasMetrics(doc.RootElement.GetProperty("metrics"));
    }
}
