using System.Diagnostics;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Issues;

/// <summary>Regression tests named after the issue that asked for the behaviour (Polly style: one file per issue).</summary>
public sealed partial class IssueTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Issue 5: two processes saving into one model store at once must not corrupt it or lose a version.</summary>
    [Fact]
    public async Task ConcurrentSavesFromTwoProcesses_5()
    {
        // Two real `pq train` processes (the CLI assembly sits beside the tests) save into the same store at once.
        var store = _dir.Combine("store");
        var first = Start(store, seed: 1);
        var second = Start(store, seed: 2);
        var outputs = await Task.WhenAll(WaitAsync(first), WaitAsync(second));

        Assert.All(outputs, o => Assert.True(o.ExitCode == 0, $"pq train failed ({o.ExitCode}): {o.Error}"));
        var versions = await new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store }).ListAsync();
        Assert.Equal(2, versions.Count);
        Assert.Equal(2, versions.Select(v => v.Version).Distinct().Count());
        var reader = new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store });
        foreach (var v in versions)
        {
            var loaded = await reader.LoadAsync(v.Version);
            Assert.Equal("gbdt", QualityModel.Load(loaded.Content.ToArray()).Info.Trainer);
        }

        Assert.Contains(await reader.GetActiveVersionAsync(), versions.Select(v => v.Version));
    }

    private static Process Start(string store, int seed) => PqProcess.Start(
        "train", "--store", store, "--data", SharedData.Coupon, "--label", "Y", "--drop", "car",
        "--trees", "5", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--force", "--json");

    private static async Task<(int ExitCode, string Error)> WaitAsync(Process process)
    {
        var (exitCode, _, error) = await PqProcess.WaitAsync(process, TimeSpan.FromMinutes(3));
        return (exitCode, error);
    }
}
