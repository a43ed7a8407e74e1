using System.Text.Json;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class RollbackCommandTests
{
    [Fact]
    public void Rollback_Json_GoesBackToPreviousActive()
    {
        using var store = new TempStore();
        var first = store.AddCouponModel();
        store.AddCouponModel();

        var (code, stdout, stderr) = Run("rollback", "--store", store.Dir, "--json");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(first, doc.RootElement.GetProperty("active").GetString());
    }

    [Fact]
    public void Rollback_To_NamedVersion()
    {
        using var store = new TempStore();
        var first = store.AddCouponModel();
        store.AddCouponModel();
        store.AddCouponModel();

        var (code, stdout, _) = Run("rollback", "--store", store.Dir, "--to", first, "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(first, doc.RootElement.GetProperty("active").GetString());
    }

    [Fact]
    public void Rollback_NothingToRollBackTo_ExitOne()
    {
        using var store = new TempStore();
        store.AddCouponModel();

        var (code, stdout, stderr) = Run("rollback", "--store", store.Dir, "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("no previous version", stderr);
    }
}
