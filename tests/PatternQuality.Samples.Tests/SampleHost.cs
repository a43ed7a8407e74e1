using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Hosting;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Training;

namespace PatternQuality.Samples.Tests;

/// <summary>
/// The sample typed host, unchanged, in a <see cref="WebApplicationFactory{TEntryPoint}"/> on a store directory. Only
/// sizes are shrunk (few trees, small update batches, a low first-training threshold) so the tests stay fast.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _root;
    private readonly WebApplicationFactory<Program> _factory;

    private readonly string _directory;

    public SampleHost(string storeDirectory)
    {
        _directory = storeDirectory;
        _root = new WebApplicationFactory<Program>();
        _factory = _root.WithWebHostBuilder(b =>
        {
            b.UseSetting("ModelStore", storeDirectory);
            b.ConfigureTestServices(services =>
            {
                services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 20);
                services.Configure<IncrementalLearnerOptions>(o =>
                {
                    o.Trigger.CountThreshold = 100;
                    o.Trigger.MaximumAge = TimeSpan.FromMilliseconds(200);
                    o.SnapshotEveryUpdates = 1;
                    o.ActiveVersionPollInterval = TimeSpan.FromMilliseconds(200);
                });
                services.Configure<PatternQualityHostingOptions>(o =>
                {
                    o.MinimumFeedbackForFirstTraining = 1000;
                    o.ActiveVersionPollInterval = TimeSpan.FromMilliseconds(100);
                });
            });
        });
        Client = _factory.CreateClient(); // starts the host
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public PatternQualityHostedService<Suggestion> Lifecycle => Services.GetRequiredService<PatternQualityHostedService<Suggestion>>();

    public string? ServedVersion => Services.GetRequiredService<QualityModelHolder>().Current?.Info.Version;

    public async Task<(int Accepted, int Duplicates)> PostFeedbackAsync(IEnumerable<UserFeedback> feedback)
    {
        var response = await Client.PostAsJsonAsync("/feedback", feedback.ToArray());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<AppendBody>();
        return (body!.Accepted, body.Duplicates);
    }

    public async Task<float[]> ScoreAsync(IEnumerable<Suggestion> suggestions)
    {
        var response = await Client.PostAsJsonAsync("/score", suggestions.ToArray());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<float[]>())!;
    }

    public async Task<HttpStatusCode> HealthAsync() => (await Client.GetAsync("/health")).StatusCode;

    /// <summary>Waits until the learner runs and has consumed the first <paramref name="count"/> records (the log numbers them from 1).</summary>
    public Task LearnedAsync(long count) => Until(() => Lifecycle.Learner is { } l && l.Watermark.Sequence >= count, state: Describe);

    /// <summary>Posts feedback in batches as an app would, each learned before the next is posted.</summary>
    public async Task FeedAsync(IReadOnlyList<UserFeedback> data, int from, int to, int batch = 250)
    {
        for (var i = from; i < to; i += batch)
        {
            await PostFeedbackAsync(data.Skip(i).Take(Math.Min(batch, to - i)));
            await LearnedAsync(Math.Min(i + batch, to));
        }
    }

    /// <summary>What the learner and the store say, for failure messages.</summary>
    public string Describe()
    {
        var learner = Lifecycle.Learner;
        var store = new PatternQuality.Storage.FileSystemModelStore(new PatternQuality.Storage.FileSystemModelStoreOptions { Directory = _directory });
        var versions = store.ListAsync().GetAwaiter().GetResult();
        var active = store.GetActiveVersionAsync().GetAwaiter().GetResult();
        return $"served {ServedVersion}, learner base {learner?.BaseVersion}, watermark {learner?.Watermark}, updates {learner?.UpdateCount}, active {active}; versions: "
            + string.Join("; ", versions.Select(v => $"{v.Version}<-{v.ParentVersion} wm {v.WatermarkSequence} {v.Decision}"));
    }

    public static async Task Until(Func<bool> condition, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, "timed out waiting for the sample host" + (state is null ? string.Empty : ": " + state()));
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stops the host the way a shutdown does: the learner's latest model is saved as a version.
        Client.Dispose();
        await _factory.DisposeAsync();
        await _root.DisposeAsync();
    }

    private sealed record AppendBody(int Accepted, int Duplicates);
}
