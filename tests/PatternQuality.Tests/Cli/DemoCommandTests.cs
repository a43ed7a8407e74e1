using System.CommandLine;
using System.Text.Json;
using PatternQuality.Cli.Commands;
using PatternQuality.Cli.Demo;

namespace PatternQuality.Tests.Cli;

public class DemoCommandTests
{
    /// <summary>Two simulated weeks, small trees: the same story (gate, broken feed, rollback) in a couple of seconds.</summary>
    internal static DemoOptions Small => new()
    {
        Users = 20,
        Days = 14,
        FeedbackPerDay = 100,
        RetrainEveryDays = 4,
        TrainingWindowDays = 8,
        GateDays = 2,
        IncidentDay = 5,
        ReportDays = 2,
        Trees = 6,
        Leaves = 4,
    };

    [Fact]
    public async Task Demo_SmallRun_StoresVersionsRollsBackAndWritesReport()
    {
        using var store = new TempStore();

        var result = await new DemoRunner(Small).RunAsync(store.Root, CancellationToken.None);

        Assert.True(File.Exists(result.ReportPath));
        var html = File.ReadAllText(result.ReportPath);
        Assert.True(html.Split("<svg").Length - 1 >= 3);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Version timeline", html);

        using var manager = new PatternQuality.Versioning.ModelVersionManager(
            new PatternQuality.Storage.FileSystemModelStore(new PatternQuality.Storage.FileSystemModelStoreOptions { Directory = result.StoreDirectory }));
        var versions = await manager.ListAsync();
        Assert.Equal(result.Versions, versions.Count);
        Assert.True(versions.Count >= 3, $"{versions.Count} versions");
        Assert.Equal(result.ActiveVersion, await manager.GetActiveVersionAsync());
        Assert.Contains(versions, v => v.Promoted == false);
        Assert.Equal(1, result.Rollbacks);
        Assert.Contains(result.Events, e => e.Event == "rollback");
        Assert.Contains(versions, v => v.Properties.ContainsKey("pq.rolledBack"));
    }

    [Fact]
    public void Demo_Json_PrintsSummaryObject_AndRerunReplacesItsStore()
    {
        using var store = new TempStore();
        var root = new RootCommand();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr, Small));

        var first = root.Parse(["demo", "--out", store.Root, "--json"]).Invoke();
        var firstOut = stdout.ToString();
        stdout.GetStringBuilder().Clear();
        var second = root.Parse(["demo", "--out", store.Root, "--json"]).Invoke();

        Assert.True(first == 0, stderr.ToString());
        Assert.Equal(0, second);
        using var doc = JsonDocument.Parse(firstOut);
        var r = doc.RootElement;
        foreach (var key in new[] { "report", "store", "days", "feedback", "versions", "promoted", "rejected", "rollbacks", "active", "metrics", "seconds", "timeline" })
        {
            Assert.True(r.TryGetProperty(key, out _), key);
        }

        CliAssert.HasMetrics(r.GetProperty("metrics"));
        using var again = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(r.GetProperty("versions").GetInt32(), again.RootElement.GetProperty("versions").GetInt32());
    }

    [Fact]
    public void Demo_OutIsAFolderThatIsNotAStore_ExitOne()
    {
        using var store = new TempStore();
        Directory.CreateDirectory(Path.Combine(store.Root, "store"));
        File.WriteAllText(Path.Combine(store.Root, "store", "keep.txt"), "mine");
        var root = new RootCommand();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr, Small));

        var code = root.Parse(["demo", "--out", store.Root]).Invoke();

        Assert.Equal(1, code);
        Assert.Contains("not a model store", stderr.ToString());
        Assert.True(File.Exists(Path.Combine(store.Root, "store", "keep.txt")));
    }

    [Fact]
    public void Options_OutOfRange_NamesOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DemoRunner(new DemoOptions { Days = 2 }));
        Assert.Contains("Days", ex.Message);
    }

    [Fact]
    public async Task Demo_Cancelled_StopsWithOperationCanceled()
    {
        using var store = new TempStore();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DemoRunner(Small).RunAsync(store.Root, cts.Token));
    }
}
