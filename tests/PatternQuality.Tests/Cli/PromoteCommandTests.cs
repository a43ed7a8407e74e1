using System.Text.Json;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class PromoteCommandTests
{
    [Fact]
    public async Task Promote_Json_ActivatesAndPrintsActive()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        var second = store.AddCouponModel(activate: false);

        var (code, stdout, stderr) = Run("promote", "--store", store.Dir, "--version", second, "--json");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(second, doc.RootElement.GetProperty("active").GetString());
        using var manager = store.Open();
        Assert.Equal(second, await manager.GetActiveVersionAsync());
    }

    [Fact]
    public async Task Promote_UnknownVersion_ErrorListsVersions_ActiveUnchanged()
    {
        using var store = new TempStore();
        var first = store.AddCouponModel();

        var (code, stdout, stderr) = Run("promote", "--store", store.Dir, "--version", "v9999", "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("v9999", stderr);
        using var manager = store.Open();
        Assert.Equal(first, await manager.GetActiveVersionAsync());
    }

    [Fact]
    public async Task Promote_CorruptedModelFile_ErrorNamesFile_ActiveStaysActive()
    {
        using var store = new TempStore();
        var first = store.AddCouponModel();
        var second = store.AddCouponModel(activate: false);
        var file = Path.Combine(store.Dir, "models", second + ".pqm");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);

        var (code, _, stderr) = Run("promote", "--store", store.Dir, "--version", second, "--json");

        Assert.Equal(1, code);
        Assert.Contains(second + ".pqm", stderr);
        using var manager = store.Open();
        Assert.Equal(first, await manager.GetActiveVersionAsync());
    }
}
