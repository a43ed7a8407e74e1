using System.Text.Json;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class VersionsCommandTests
{
    [Fact]
    public void Versions_Json_ListsEveryVersionWithContractFields()
    {
        using var store = new TempStore();
        var first = store.AddCouponModel();
        var second = store.AddCouponModel(activate: false);

        var (code, stdout, stderr) = Run("versions", "--store", store.Dir, "--json");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(first, root.GetProperty("active").GetString());
        var versions = root.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([first, second], versions.Select(v => v.GetProperty("version").GetString()));
        foreach (var v in versions)
        {
            foreach (var key in new[] { "version", "parent", "created", "aliases", "promoted", "metrics" })
            {
                Assert.True(v.TryGetProperty(key, out _), key);
            }
        }

        Assert.Equal("champion", versions[0].GetProperty("aliases")[0].GetString());
        Assert.Equal(0.7, versions[0].GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.EndsWith("Z", versions[0].GetProperty("created").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_Human_MarksActive()
    {
        using var store = new TempStore();
        var v = store.AddCouponModel();
        var (code, stdout, _) = Run("versions", "--store", store.Dir);
        Assert.Equal(0, code);
        Assert.Contains("Active: " + v, stdout);
    }

    [Fact]
    public void Versions_MissingStore_ErrorNamesDirectory()
    {
        var (code, stdout, stderr) = Run("versions", "--store", "/nonexistent/pq-store", "--json");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("/nonexistent/pq-store", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_ManifestEditedIntoNonsense_ErrorNamesManifest()
    {
        using var store = new TempStore();
        store.AddCouponModel();
        File.WriteAllText(Path.Combine(store.Dir, "manifest.json"), "{\"versions\": \"banana\"");

        var (code, stdout, stderr) = Run("versions", "--store", store.Dir, "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("manifest.json", stderr);
    }

    [Fact]
    public void Versions_NoStoreFlag_IsUsageError()
    {
        var (code, stdout, stderr) = Run("versions", "--json");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--store", stderr);
    }

    [Fact]
    public void Versions_StoreIsAFile_ErrorSaysSo()
    {
        using var f = new PatternQuality.Tests.TestUtils.TempFile("not a store");
        var (code, _, stderr) = Run("versions", "--store", f.Path);
        Assert.Equal(1, code);
        Assert.Contains("is a file, not a directory", stderr);
    }
}
