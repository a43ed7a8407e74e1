using System.Diagnostics;
using System.Text.Json;
using PatternQuality.Experiments;
using PatternQuality.Experiments.Internal;

namespace PatternQuality.Tests.Experiments;

public class ExperimentAssignerTests
{
    private static Experiment AB(string id = "ranker-v2", double holdback = 0, string salt = "", double control = 1, double treatment = 1) => new()
    {
        Id = id,
        Variants = [new ExperimentVariant("rules", control), new ExperimentVariant("model", treatment)],
        Salt = salt,
        HoldbackFraction = holdback,
    };

    private static IEnumerable<string> Users(int n) => Enumerable.Range(0, n).Select(i => "user-" + i);

    [Fact]
    public void StableHash_IsPinned_SoAssignmentsSurviveRuntimeUpgrades()
    {
        // SHA-256("a\u001fb\u001fc"), top 53 bits: if this changes, every running experiment reshuffles its users.
        Assert.Equal(StableHash.Unit("a", "b", "c"), StableHash.Unit("a", "b", "c"));
        var digest = System.Security.Cryptography.SHA256.HashData("a\u001fb\u001fc"u8);
        var expected = (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11) / (double)(1UL << 53);
        Assert.Equal(expected, StableHash.Unit("a", "b", "c"));
    }

    [Fact]
    public void Assign_IsStickyAcrossInstances_AndFollowsWeights()
    {
        var one = new ExperimentAssigner([AB(control: 3, treatment: 1)]);
        var two = new ExperimentAssigner([AB(control: 3, treatment: 1)]);
        var model = 0;
        foreach (var u in Users(20_000))
        {
            var a = one.Assign("ranker-v2", u);
            Assert.Equal(a, two.Assign("ranker-v2", u));
            Assert.True(a.IsAnalyzed);
            model += a.Variant == "model" ? 1 : 0;
        }

        Assert.InRange(model / 20_000.0, 0.235, 0.265);
    }

    [Fact]
    public void Salt_ReshufflesAboutHalfTheUnits()
    {
        var plain = new ExperimentAssigner([AB()]);
        var salted = new ExperimentAssigner([AB(salt: "rerun-2")]);
        var moved = Users(10_000).Count(u => plain.Assign("ranker-v2", u).Variant != salted.Assign("ranker-v2", u).Variant);
        Assert.InRange(moved, 4_700, 5_300);
    }

    [Fact]
    public void Holdback_GetsControlAndStaysOutOfAnalysis()
    {
        var assigner = new ExperimentAssigner([AB(holdback: 0.1)]);
        var held = Users(20_000).Select(u => assigner.Assign("ranker-v2", u)).Where(a => a.IsHoldback).ToList();
        Assert.InRange(held.Count, 1_800, 2_200);
        Assert.All(held, a => Assert.Equal("rules", a.Variant));
        Assert.All(held, a => Assert.False(a.IsAnalyzed));
    }

    [Fact]
    public void ExperimentsOfOneLayer_NeverShareAUnit_AndOverlapIsRejected()
    {
        var first = new Experiment { Id = "a", Variants = [new("c"), new("t")], Layer = "ranking", TrafficFraction = 0.5 };
        var second = new Experiment { Id = "b", Variants = [new("c"), new("t")], Layer = "ranking", TrafficOffset = 0.5, TrafficFraction = 0.5 };
        var assigner = new ExperimentAssigner([first, second]);
        var inA = 0;
        foreach (var u in Users(10_000))
        {
            bool a = assigner.Assign("a", u).InExperiment, b = assigner.Assign("b", u).InExperiment;
            Assert.False(a && b, $"{u} is in both experiments");
            Assert.True(a || b);
            inA += a ? 1 : 0;
        }

        Assert.InRange(inA, 4_700, 5_300);
        var overlapping = new Experiment { Id = "c", Variants = [new("c"), new("t")], Layer = "ranking", TrafficOffset = 0.4, TrafficFraction = 0.2 };
        var ex = Assert.Throws<ArgumentException>(() => new ExperimentAssigner([first, overlapping]));
        Assert.Contains("overlap", ex.Message);
        var outside = Users(1_000).Select(u => assigner.Assign("a", u)).Where(a => !a.InExperiment).ToList();
        Assert.NotEmpty(outside);
        Assert.All(outside, a => Assert.Equal("c", a.Variant));
    }

    [Fact]
    public void InvalidDefinitions_ThrowNamingTheProblem()
    {
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([new Experiment { Id = "x", Variants = [new("only")] }]));
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([new Experiment { Id = "x", Variants = [new("a"), new("a")] }]));
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([new Experiment { Id = "x", Variants = [new("a", 0), new("b")] }]));
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([AB(), AB()]));
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([AB(holdback: 1)]));
        Assert.Throws<KeyNotFoundException>(() => new ExperimentAssigner([AB()]).Assign("nope", "u"));
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([AB()]).Assign("ranker-v2", ""));
    }

    [Fact]
    public async Task Assign_InASecondRealProcess_GivesTheSameVariants()
    {
        var users = Users(300).ToArray();
        var assigner = new ExperimentAssigner([AB(salt: "s1", holdback: 0.1, control: 2, treatment: 1)]);
        var pq = Path.Combine(AppContext.BaseDirectory, "pq.dll");
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { pq, "experiment", "assign", "--experiment", "ranker-v2", "--variants", "rules=2,model=1", "--salt", "s1", "--holdback", "0.1", "--json" }.Concat(users))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        using var doc = JsonDocument.Parse(await stdout);
        var rows = doc.RootElement.GetProperty("assignments").EnumerateArray().ToList();
        Assert.Equal(users.Length, rows.Count);
        for (var i = 0; i < users.Length; i++)
        {
            var mine = assigner.Assign("ranker-v2", users[i]);
            Assert.Equal(users[i], rows[i].GetProperty("unit").GetString());
            Assert.Equal(mine.Variant, rows[i].GetProperty("variant").GetString());
            Assert.Equal(mine.IsHoldback, rows[i].GetProperty("holdback").GetBoolean());
        }
    }
}
