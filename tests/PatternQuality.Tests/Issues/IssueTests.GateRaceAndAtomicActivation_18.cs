using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PatternQuality.Storage;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 18 item 1: N real <c>pq train</c> processes on one store. On an empty store exactly one of N identical
    /// candidates says "promoted" (the others are compared with it and rejected); then, over a weak champion, candidates
    /// of different quality race, and every activation replaced exactly the champion its candidate was compared with.
    /// </summary>
    [Fact]
    public async Task ConcurrentTrainings_GateCannotBeRaced_18()
    {
        const int N = 5;
        var store = _dir.Combine("race");
        string[] identical = ["train", "--store", store, "--data", SharedData.Coupon, "--label", "Y", "--drop", "car", "--trees", "3", "--leaves", "4", "--calibration", "none", "--seed", "7", "--json"];
        var first = await RunAllAsync(Enumerable.Repeat(identical, N));

        Assert.Equal(1, first.Count(o => o.GetProperty("promoted").GetBoolean()));
        var winner = first.Single(o => o.GetProperty("promoted").GetBoolean()).GetProperty("version").GetString();
        Assert.All(first.Where(o => !o.GetProperty("promoted").GetBoolean()), o => Assert.Equal(winner, o.GetProperty("champion").GetString()));

        // Candidates of different quality race over that weak (3-tree) champion.
        var mixed = Enumerable.Range(0, N).Select(i => (string[])[
            "train", "--store", store, "--data", SharedData.Coupon, "--label", "Y", "--drop", "car", "--trees", (2 + (i * 4)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--leaves", "8", "--calibration", "platt", "--seed", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"]);
        var second = await RunAllAsync(mixed);

        // What each process printed is what the store recorded, and every activation replaced the champion its
        // candidate was judged against: no model replaced one it was not compared with.
        var reader = new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store });
        var versions = (await reader.ListAsync()).ToDictionary(v => v.Version);
        foreach (var o in first.Concat(second))
        {
            var v = versions[o.GetProperty("version").GetString()!];
            Assert.Equal(o.GetProperty("promoted").GetBoolean(), v.Promoted);
            Assert.Equal(o.GetProperty("champion").GetString(), v.Properties.GetValueOrDefault(ModelPropertyNames.PromotionChampion));
        }

        var activations = await reader.GetActivationHistoryAsync();
        Assert.Equal(first.Concat(second).Count(o => o.GetProperty("promoted").GetBoolean()), activations.Count);
        Assert.All(activations, a => Assert.Equal(a.Previous, versions[a.Version].Properties.GetValueOrDefault(ModelPropertyNames.PromotionChampion)));
        Assert.Equal(activations[^1].Version, await reader.GetActiveVersionAsync());
    }

    /// <summary>
    /// Issue 18 item 2: SIGKILL a real <c>pq promote</c> process at moments spread over its run (activation is its
    /// last act). After every kill the store holds the old state or the new one, never a mix: the active version alone
    /// carries <c>champion</c> and still knows its rollback target.
    /// </summary>
    [Fact]
    public async Task SigkillDuringActivation_LeavesOldOrNewState_18()
    {
        const int Kills = 12;
        var store = _dir.Combine("kill");
        string v1, v2;
        using (var setup = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store })))
        {
            v1 = (await setup.SaveAsync(Encoding.UTF8.GetBytes("one"), new ModelSaveRequest())).Version;
            v2 = (await setup.SaveAsync(Encoding.UTF8.GetBytes("two"), new ModelSaveRequest())).Version;
            await setup.ActivateAsync(v1, "first");
            await setup.ActivateAsync(v2, "second");
        }

        // One undisturbed run tells how long a promote takes on this (loaded) machine.
        var clock = Stopwatch.StartNew();
        var full = await PqProcess.WaitAsync(PqProcess.Start("promote", "--store", store, "--version", v1), TimeSpan.FromMinutes(2));
        var runTime = clock.Elapsed;
        Assert.True(full.ExitCode == 0, full.Error);

        var random = new Random(18);
        int unchanged = 0, changed = 0;
        for (var i = 0; i < Kills; i++)
        {
            var before = await ActiveAsync(store);
            var target = before == v1 ? v2 : v1;
            var process = PqProcess.Start("promote", "--store", store, "--version", target);
            await Task.Delay(runTime * (0.4 + (0.7 * random.NextDouble())));
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It finished first: the kill came too late, which is one of the moments we want too.
            }

            await PqProcess.WaitAsync(process, TimeSpan.FromMinutes(2));
            var after = await ActiveAsync(store);
            _ = after == before ? unchanged++ : changed++;

            var versions = await new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store }).ListAsync();
            var active = versions.Single(v => v.Version == after);
            var other = versions.Single(v => v.Version != after);
            Assert.Equal([ModelAliases.Champion], active.Aliases);
            Assert.Empty(other.Aliases);
            Assert.Equal(other.Version, active.Properties[ModelPropertyNames.PreviousActive]);
        }

        // Rollback still knows where to go.
        var rollback = await PqProcess.WaitAsync(PqProcess.Start("rollback", "--store", store, "--json"), TimeSpan.FromMinutes(2));
        Assert.True(rollback.ExitCode == 0, rollback.Error);
        Assert.True(unchanged + changed == Kills, $"{unchanged} kills left the old state, {changed} the new one");
    }

    private static async Task<string?> ActiveAsync(string store) =>
        await new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store }).GetActiveVersionAsync();

    private static async Task<JsonElement[]> RunAllAsync(IEnumerable<string[]> commands)
    {
        var processes = commands.Select(args => PqProcess.Start(args)).ToArray();
        var results = await Task.WhenAll(processes.Select(p => PqProcess.WaitAsync(p, TimeSpan.FromMinutes(5))));
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"pq train failed ({r.ExitCode}): {r.Error}"));
        return results.Select(r => JsonDocument.Parse(r.Out).RootElement.Clone()).ToArray();
    }
}
