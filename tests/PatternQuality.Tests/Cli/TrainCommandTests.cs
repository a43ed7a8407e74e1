using System.Text.Json;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class TrainCommandTests
{
    private static readonly string[] _small = ["--trees", "5", "--leaves", "8"];

    [Fact]
    public async Task Train_CouponJson_StoresPromotedVersionWithContractFields()
    {
        using var store = new TempStore();

        var (code, stdout, stderr) = Run(["train", "--store", store.Dir, .. TempStore.CouponFlags, .. _small, "--calibration", "platt", "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        foreach (var key in new[] { "version", "promoted", "rows", "train_seconds", "calibration", "metrics" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        Assert.True(root.GetProperty("promoted").GetBoolean());
        Assert.Equal("platt", root.GetProperty("calibration").GetString());
        Assert.Equal(12684, root.GetProperty("rows").GetProperty("train").GetInt32() + root.GetProperty("rows").GetProperty("test").GetInt32());
        Assert.InRange(root.GetProperty("rows").GetProperty("test").GetInt32(), 2500, 2575);
        Assert.True(root.GetProperty("train_seconds").GetDouble() > 0);
        CliAssert.HasMetrics(root.GetProperty("metrics"));
        using var manager = store.Open();
        Assert.Equal(root.GetProperty("version").GetString(), await manager.GetActiveVersionAsync());
    }

    [Fact]
    public async Task Train_SecondCandidate_IsGatedOnTheSameHoldout()
    {
        using var store = new TempStore();
        string[] args = ["train", "--store", store.Dir, .. TempStore.CouponFlags, .. _small, "--calibration", "none", "--json"];
        var (c1, o1, _) = Run(args);
        Assert.Equal(0, c1);

        // The same data, seed and settings give the same model: nothing improves, so the gate must reject it.
        var (c2, o2, e2) = Run(args);

        Assert.True(c2 == 0, e2);
        using var first = JsonDocument.Parse(o1);
        using var second = JsonDocument.Parse(o2);
        Assert.False(second.RootElement.GetProperty("promoted").GetBoolean());
        Assert.Contains("Rejected", second.RootElement.GetProperty("decision").GetString());
        using var manager = store.Open();
        Assert.Equal(first.RootElement.GetProperty("version").GetString(), await manager.GetActiveVersionAsync());
        var challenger = await manager.ResolveAsync("challenger");
        Assert.Equal(second.RootElement.GetProperty("version").GetString(), challenger);
    }

    [Fact]
    public void Train_SvmLight_WithThreshold_AndIncomparableChampion_NeedsForce()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        string[] svm = ["train", "--store", store.Dir, "--data", SharedData.RankTrain, "--threshold", "1", "--trees", "3", "--leaves", "4", "--calibration", "none", "--json"];

        var (code, stdout, stderr) = Run(svm);

        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.False(doc.RootElement.GetProperty("promoted").GetBoolean());
            Assert.Contains("not comparable", doc.RootElement.GetProperty("decision").GetString());
            Assert.Equal("none", doc.RootElement.GetProperty("calibration").GetString());
        }

        var (forcedCode, forced, _) = Run([.. svm, "--force"]);
        Assert.Equal(0, forcedCode);
        using var forcedDoc = JsonDocument.Parse(forced);
        Assert.True(forcedDoc.RootElement.GetProperty("promoted").GetBoolean());
    }

    [Fact]
    public void Train_LabelWithOneClass_ExitOne()
    {
        using var store = new TempStore();
        using var f = new TempFile("x,y\n1,1\n2,1\n3,1\n4,1\n5,1\n");

        var (code, stdout, stderr) = Run("train", "--store", store.Dir, "--data", f.Path, "--label", "y", "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("Every one of", stderr);
    }

    [Fact]
    public void Train_StoreParentMissing_ErrorNamesDirectory()
    {
        var (code, stdout, stderr) = Run(["train", "--store", "/nonexistent/deeper/store", .. TempStore.CouponFlags, .. _small, "--json"]);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("/nonexistent/deeper/store", stderr);
    }

    [Fact]
    public void Train_TestAndSplitTogether_IsUsageError()
    {
        var (code, _, stderr) = Run(["train", "--store", "s", .. TempStore.CouponFlags, "--test", "t.csv", "--split", "random"]);
        Assert.Equal(2, code);
        Assert.Contains("--test", stderr);
    }

    [Fact]
    public void Train_BadTrainer_ExitOne()
    {
        var (code, _, stderr) = Run(["train", "--store", "s", .. TempStore.CouponFlags, "--trainer", "svm"]);
        Assert.Equal(1, code);
        Assert.Contains("--trainer", stderr);
    }

    [Fact]
    public void Train_TabSeparatedWithTestFile_HoldsOutTheTestFile()
    {
        using var store = new TempStore();

        var (code, stdout, stderr) = Run(
            "train", "--store", store.Dir, "--data", SharedData.BinaryTrain, "--test", SharedData.BinaryTest, "--no-header", "--label", "c0",
            "--trees", "3", "--leaves", "4", "--calibration", "none", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(7000, doc.RootElement.GetProperty("rows").GetProperty("train").GetInt32());
        Assert.Equal(500, doc.RootElement.GetProperty("rows").GetProperty("test").GetInt32());
        Assert.Equal("file", doc.RootElement.GetProperty("split").GetString());
    }

    [Fact]
    public void Train_ActiveModelCorrupted_KeepsCandidateAsChallenger_ActiveUnchanged()
    {
        using var store = new TempStore();
        var active = store.AddCouponModel();
        var file = Path.Combine(store.Dir, "models", active + ".pqm");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..64]);

        var (code, stdout, stderr) = Run(["train", "--store", store.Dir, .. TempStore.CouponFlags, .. _small, "--calibration", "none", "--json"]);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.False(doc.RootElement.GetProperty("promoted").GetBoolean());
        Assert.Contains(active + ".pqm", doc.RootElement.GetProperty("decision").GetString());
        var (_, versions, _) = Run("versions", "--store", store.Dir, "--json");
        using var listed = JsonDocument.Parse(versions);
        Assert.Equal(active, listed.RootElement.GetProperty("active").GetString());
    }

    [Fact]
    public async Task Train_HistoryFeatures_ChampionScoredUnderTheCandidatesConditions()
    {
        using var store = new TempStore();
        string[] args = ["train", "--store", store.Dir, .. TempStore.CouponFlags, "--history-key", "coupon", "--drop", "coupon", .. _small, "--calibration", "none", "--json"];
        Assert.Equal(0, Run(args).Code);

        var (code, _, stderr) = Run(args);

        // The same settings give the same model; had the champion's saved history (which holds the holdout's labels)
        // been used for its holdout features, it would look better than its identical twin.
        Assert.True(code == 0, stderr);
        using var manager = store.Open();
        var second = (await manager.ListAsync())[1];
        Assert.Equal("0", second.Properties["pq.promotion.aucDelta"]);
    }
}
