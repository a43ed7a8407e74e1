using System.Text.Json;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Tests.Interop;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class ExportCommandTests
{
    [Fact]
    public void Export_ActiveVersion_OnnxRuntimeScoresEveryCouponRowAsPqDoes()
    {
        using var store = new TempStore();
        var version = store.AddCouponModel();
        var onnx = Path.Combine(store.Root, "model.onnx");

        var (code, stdout, stderr) = Run("export", "--store", store.Dir, "--onnx", onnx, "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(version, doc.RootElement.GetProperty("version").GetString());
        Assert.Equal(new FileInfo(onnx).Length, doc.RootElement.GetProperty("bytes").GetInt64());
        Assert.Empty(Directory.GetFiles(store.Root, "*.tmp"));

        // The rows as pq predict maps them: through the model's own saved columns.
        var model = QualityModel.Load(TempStore.CouponModel);
        var rows = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" }, model.CreateRowExtractor()).Dataset;
        Assert.Equal(model.Info.Schema.Count, doc.RootElement.GetProperty("features").GetInt32());
        OnnxParity.AssertSameScores(model, File.ReadAllBytes(onnx), rows.Features.ToArray());
    }

    [Fact]
    public void Export_NamedVersion_ReplacesAnExistingFile_HumanOutput()
    {
        using var store = new TempStore();
        var first = store.AddCouponModel(activate: false);
        store.AddCouponModel();
        var onnx = Path.Combine(store.Root, "model.onnx");
        File.WriteAllText(onnx, "old");

        var (code, stdout, stderr) = Run("export", "--store", store.Dir, "--version", first, "--onnx", onnx);

        Assert.True(code == 0, stderr);
        Assert.Contains($"Exported version {first}", stdout);
        Assert.True(new FileInfo(onnx).Length > 1000);
    }

    [Fact]
    public void Export_Errors_OneLineOnStderr()
    {
        using var store = new TempStore();
        var onnx = Path.Combine(store.Root, "model.onnx");

        var (noStore, _, noStoreErr) = Run("export", "--store", store.Dir, "--onnx", onnx);
        Assert.Equal(1, noStore);
        Assert.Contains("does not exist", noStoreErr);

        store.AddCouponModel();
        var (unknown, _, unknownErr) = Run("export", "--store", store.Dir, "--version", "v-nope", "--onnx", onnx);
        Assert.Equal(1, unknown);
        Assert.StartsWith("error:", unknownErr);

        var (directory, _, directoryErr) = Run("export", "--store", store.Dir, "--onnx", store.Root);
        Assert.Equal(1, directory);
        Assert.Contains("is a directory", directoryErr);

        var (missingDir, _, missingDirErr) = Run("export", "--store", store.Dir, "--onnx", Path.Combine(store.Root, "no", "m.onnx"));
        Assert.Equal(1, missingDir);
        Assert.Contains("does not exist", missingDirErr);

        var (usage, _, usageErr) = Run("export", "--store", store.Dir);
        Assert.Equal(2, usage);
        Assert.Contains("--onnx", usageErr);
        Assert.False(File.Exists(onnx));
    }
}
