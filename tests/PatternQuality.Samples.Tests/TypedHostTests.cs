using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using PatternQuality.Evaluation;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Samples.Tests;

/// <summary>
/// Issue 10 item 7: the README's Quick start (samples/PatternQuality.Samples.TypedHost) as a real ASP.NET Core host,
/// fed real MovieLens feedback over HTTP.
/// </summary>
public sealed class TypedHostTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("pq-sample-").FullName;

    /// <summary>
    /// Deletes the store, retrying briefly: CI once saw "Directory not empty" here (2026-11-29, the promotion test), a
    /// file created in the store while the recursive delete ran, after the host had been disposed. Which writer that was
    /// is not known yet (docs/hosting.md, "Known issue"); a clean-up failure is not the behaviour under test.
    /// </summary>
    public void Dispose()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(_store, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }

    [Fact]
    public async Task RealFeedback_FirstTrainingLearningAndScoring_ThenARestartScoresIdentically()
    {
        var data = MovieLensFeedback.All;
        var probes = data.Skip(2000).Take(200).Select(f => f.Suggestion).ToArray();
        float[] before;
        await using (var host = new SampleHost(_store))
        {
            // First start: no model yet. The default score is served and health is Unhealthy (503).
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.HealthAsync());
            Assert.All(await host.ScoreAsync(probes.Take(3)), p => Assert.Equal(0.5f, p));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.PostAsJsonAsync("/explain", probes[0])).StatusCode);

            // Feedback is acknowledged once durable, duplicates by id are dropped; 1,000 records train the first model.
            Assert.Equal((500, 0), await host.PostFeedbackAsync(data.Take(500)));
            Assert.Equal((700, 500), await host.PostFeedbackAsync(data.Take(1200)));
            await SampleHost.Until(() => host.ServedVersion is not null && host.Lifecycle.Learner is not null, state: host.Describe);
            Assert.Equal(HttpStatusCode.OK, await host.HealthAsync());
            await host.FeedAsync(data, 1200, 2000);

            // Then as the app lives: each batch of real ratings is scored when shown, before its feedback is learned.
            var scores = new List<float>();
            for (var i = 2000; i < 3000; i += 100)
            {
                scores.AddRange(await host.ScoreAsync(data.Skip(i).Take(100).Select(f => f.Suggestion)));
                await host.FeedAsync(data, i, i + 100);
            }

            var labels = data.Skip(2000).Select(f => f.Approved ? 1f : 0f).ToArray();
            var auc = BinaryEvaluation.Compute(labels, scores.ToArray()).Auc;

            // The scores served over HTTP are the ones the learner itself measured prequentially on the same records.
            var prequential = host.Lifecycle.Learner!.GetPrequentialMetrics().Auc;
            Assert.True(auc > 0.55, $"AUC {auc} on 1,000 ratings scored before they were learned (prequential {prequential})");
            Assert.Equal(prequential, auc, 3);

            // Why: the features that moved one score, in words.
            var why = await host.Client.PostAsJsonAsync("/explain", probes[0]);
            why.EnsureSuccessStatusCode();
            Assert.False(string.IsNullOrWhiteSpace(await why.Content.ReadFromJsonAsync<string>()));

            before = await host.ScoreAsync(probes);
            Assert.Contains(before, p => p != before[0]);
        }

        // A restart on the same directory serves the latest version, with its history: identical scores.
        await using (var host = new SampleHost(_store))
        {
            await SampleHost.Until(() => host.ServedVersion is not null);
            Assert.Equal(before, await host.ScoreAsync(probes));
            Assert.Equal(HttpStatusCode.OK, await host.HealthAsync());
        }
    }

    [Fact]
    public async Task PromotionByAnotherProcess_IsServedAndSurvivesTheLearnersNextUpdate()
    {
        var data = MovieLensFeedback.All;
        await using var host = new SampleHost(_store);
        await host.PostFeedbackAsync(data.Take(1000));
        await host.FeedAsync(data, 1000, 1500);
        var learner = host.Lifecycle.Learner!;

        // Another process (pq promote) saves and force-activates a model of its own in the same store.
        using var other = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _store }));
        var model = await TrainElsewhereAsync(host, data.Take(1500), trees: 9);
        var promoted = (await other.SaveAsync(model.Model.ToBytes(), new ModelSaveRequest
        {
            SchemaHash = model.Model.Info.Schema.Hash,
            Watermark = model.Watermark ?? FeedbackWatermark.Start,
            Trainer = "gbdt",
        })).Version;
        await other.ActivateAsync(promoted, "pq promote");
        await SampleHost.Until(() => learner.BaseVersion == promoted, TimeSpan.FromSeconds(5), host.Describe);

        // The learner's next updates build on the promotion: its snapshots are children of it, never the old lineage.
        var updates = learner.UpdateCount;
        var results = new System.Collections.Concurrent.ConcurrentQueue<IncrementalUpdateResult>();
        learner.ModelUpdated += (_, r) => results.Enqueue(r);
        await host.FeedAsync(data, 1500, 2000);
        Assert.True(learner.UpdateCount > updates);

        // Each update started from the promoted model (9 trees; the old lineage had 20 and more), whether the learner's
        // guard kept it or not; the active and the served version are the promotion or its children.
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Equal(9 + results.TakeWhile(p => !ReferenceEquals(p, r)).Sum(p => p.TreesAdded), r.TreeCount - r.TreesAdded));
        var versions = await other.ListAsync();
        var active = await other.GetActiveVersionAsync();
        Assert.True(Descends(versions, active!, promoted), $"the active version {active} must descend from the promotion {promoted}");
        Assert.True(Descends(versions, learner.BaseVersion!, promoted), "the learner must build on the promotion");
        Assert.True(host.ServedVersion is null || Descends(versions, host.ServedVersion, promoted), "the served model must descend from the promotion");
    }

    [Fact]
    public async Task RetrainWhileTheLearnerRuns_IsJudgedOnFeedbackTheChampionHasNotLearned()
    {
        var data = MovieLensFeedback.All;
        await using var host = new SampleHost(_store);
        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _store }));
        await host.PostFeedbackAsync(data.Take(1000));
        await SampleHost.Until(() => host.Lifecycle.Learner is not null, state: host.Describe);
        await host.FeedAsync(data, 1000, 3000);
        await SampleHost.Until(() => versions.LoadActiveAsync().Result?.Metadata.WatermarkSequence >= 2700, state: host.Describe);
        var champion = (await versions.LoadActiveAsync())!.Metadata;

        // POST /retrain: a full retrain on all 3,000 records, judged against the champion on its temporal holdout.
        var response = await host.Client.PostAsync("/retrain", content: null);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<RetrainBody>())!;

        var all = await versions.ListAsync();
        var candidate = all.Single(v => v.Version == body.Version);
        var unseenFrom = long.Parse(candidate.Properties["gate.unseen_from"], CultureInfo.InvariantCulture);
        var judge = all.Single(v => v.Version == candidate.Properties["gate.champion"]);

        // The champion has learned the holdout, so it does not score it; its newest ancestor that has not learned it does.
        Assert.True(champion.WatermarkSequence >= unseenFrom, $"champion watermark {champion.WatermarkSequence}, holdout from {unseenFrom}");
        Assert.True(judge.WatermarkSequence < unseenFrom, $"judge watermark {judge.WatermarkSequence}, holdout from {unseenFrom}");
        Assert.True(Descends(all, champion.Version, judge.Version), "the judge must be an ancestor of the champion");
        Assert.Equal(body.Promoted, candidate.Promoted);
        Assert.False(string.IsNullOrEmpty(body.Reason));
    }

    private static async Task<TrainingResult> TrainElsewhereAsync(SampleHost host, IEnumerable<UserFeedback> feedback, int trees)
    {
        var source = new InMemoryFeedbackSource<Suggestion>();
        long sequence = 0;
        foreach (var f in feedback)
        {
            source.Add(new FeedbackRecord<Suggestion>(f.Id, sequence++, f.Suggestion, f.Approved ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, f.At));
        }

        var extractor = (PatternQuality.Features.FeatureExtractor<Suggestion>)host.Services.GetService(typeof(PatternQuality.Features.IFeatureExtractor<Suggestion>))!;
        var trainer = new QualityTrainer(new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = trees } });
        return await trainer.TrainAsync(source, extractor.WithHistory(new PatternQuality.Features.HistoryState()));
    }

    private static bool Descends(IReadOnlyList<ModelMetadata> versions, string version, string ancestor)
    {
        if (version == ancestor)
        {
            return true;
        }

        for (var v = versions.FirstOrDefault(m => m.Version == version); v?.ParentVersion is { } parent; v = versions.FirstOrDefault(m => m.Version == parent))
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record RetrainBody(string Version, bool Promoted, string Reason);
}
