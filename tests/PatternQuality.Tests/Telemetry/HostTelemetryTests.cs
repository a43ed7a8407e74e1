using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Telemetry;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.Training;
using PatternQuality.Training;

namespace PatternQuality.Tests.Telemetry;

/// <summary>
/// Issue 10 item 5: the instruments a host exports, recorded through DI in a real generic host on real MovieLens
/// feedback: score count and latency, the served version, updates, trainings, gate decisions and feedback lag.
/// </summary>
public sealed class HostTelemetryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MeterName_IsPublic()
    {
        Assert.Equal("PatternQuality", PatternQualityTelemetry.MeterName);
    }

    [Fact]
    public async Task HostedLifecycle_RecordsScoringVersionTrainingGateUpdatesAndLag()
    {
        var records = MovieLensFeedback.Records;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Services.AddMetrics();
        builder.Services.AddPatternQuality<MovieSuggestion>()
            .UseFeatureExtractor(MovieLensFeedback.CreateExtractor())
            .UseModelStore(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }))
            .UseDurableFeedbackLog()
            .UseIncrementalLearning(o =>
            {
                o.Trigger.CountThreshold = 100;
                o.Trigger.MaximumAge = TimeSpan.FromMilliseconds(200);
            })
            .AddHostedLifecycle(o =>
            {
                o.MinimumFeedbackForFirstTraining = 1000;
                o.ActiveVersionPollInterval = TimeSpan.FromMilliseconds(100);
            });
        builder.Services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 20);
        using var host = builder.Build();
        using var recorder = new MeterRecorder(host.Services.GetRequiredService<IMeterFactory>());
        await host.StartAsync();
        var sp = host.Services;
        var scorer = sp.GetRequiredService<PatternScorer<MovieSuggestion>>();
        var ingestion = sp.GetRequiredService<FeedbackIngestion<MovieSuggestion>>();

        // Before a model: the default score, counted as such.
        scorer.Score(records[0].Pattern);
        Assert.Contains(recorder.Of("patternquality.score.count"), m => Equals(m.Tags["patternquality.score.source"], "default") && m.Value == 1);

        // The first training: counted and timed, gated, and its version served.
        await ingestion.SubmitAsync(records.Take(1000).ToArray());
        await Until(() => sp.GetRequiredService<PatternQualityHostedService<MovieSuggestion>>().Learner is not null);
        var training = Assert.Single(recorder.Of("patternquality.training.count"));
        Assert.Equal("succeeded", training.Tags["patternquality.outcome"]);
        Assert.Equal("s", Assert.Single(recorder.Of("patternquality.training.duration")).Unit);
        Assert.Equal(true, Assert.Single(recorder.Of("patternquality.gate.decisions")).Tags["patternquality.gate.promoted"]);
        var version = sp.GetRequiredService<QualityModelHolder>().Current!.Info.Version;
        Assert.Contains(recorder.Of("patternquality.model.served"), m => m.Value == 1 && Equals(m.Tags["patternquality.model.version"], version));

        // Updates as feedback arrives, each by outcome; the lag of what an accepted update learned.
        var learner = sp.GetRequiredService<PatternQualityHostedService<MovieSuggestion>>().Learner!;
        await ingestion.SubmitAsync(records.Skip(1000).Take(600).ToArray());
        await Until(() => learner.Watermark.Sequence >= 1600);
        var updates = recorder.Of("patternquality.update.count");
        Assert.NotEmpty(updates);
        Assert.All(updates, m => Assert.Contains((string)m.Tags["patternquality.outcome"]!, new[] { "accepted", "rejected", "discarded" }));
        var learnedByAccepted = recorder.Of("patternquality.update.batch_size").Count;
        Assert.True(learnedByAccepted > 0);
        var lags = recorder.Of("patternquality.feedback.lag");
        Assert.Equal(updates.Any(m => Equals(m.Tags["patternquality.outcome"], "accepted")), lags.Count > 0);
        Assert.All(lags, m => Assert.True(m.Value > 365 * 24 * 3600.0, "MovieLens feedback from the 1990s is decades old when learned"));

        // Scoring with the model: counted per pattern, timed per call, in milliseconds.
        scorer.Score(records.Skip(1600).Take(50).Select(r => r.Pattern).ToArray());
        Assert.Contains(recorder.Of("patternquality.score.count"), m => Equals(m.Tags["patternquality.score.source"], "model") && m.Value == 50);
        Assert.Contains(recorder.Of("patternquality.score.duration"), m => m.Unit == "ms" && m.Value >= 0);
        await host.StopAsync();
    }

    [Fact]
    public void Holder_ServedVersionGauge_MovesFromTheOldVersionToTheNew()
    {
        using var recorder = new MeterRecorder();
        var model = PatternQuality.Tests.Online.OfferStream.Train(PatternQuality.Tests.Online.OfferStream.Extractor(), PatternQuality.Tests.Online.OfferStream.Generate(300, seed: 3), trees: 5);
        var holder = new QualityModelHolder(model.WithInfo(model.Info with { Version = "v1" }), recorder.Factory);

        holder.Swap(model.WithInfo(model.Info with { Version = null })); // an unsaved update keeps reporting v1
        holder.Swap(model.WithInfo(model.Info with { Version = "v2" }));

        var served = recorder.Of("patternquality.model.served").Select(m => ((string)m.Tags["patternquality.model.version"]!, m.Value)).ToArray();
        Assert.Equal([("v1", 1d), ("v1", 0d), ("v2", 1d)], served);
        Assert.Equal(2, recorder.Of("patternquality.model.swaps").Count);
    }

    [Fact]
    public async Task Trainer_CancelledTraining_IsCountedAsCancelled()
    {
        using var recorder = new MeterRecorder();
        var trainer = new QualityTrainer(new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 200 } }, meterFactory: recorder.Factory);
        using var cts = new CancellationTokenSource();

        // Cancelled once the data is split, i.e. after the training started (invalid input never counts as a training).
        var progress = new CancelAt(TrainingStage.Splitting, cts);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => trainer.TrainAsync(MovieLensFeedback.CreateSource(), MovieLensFeedback.CreateExtractor(), progress, cts.Token));

        var counted = Assert.Single(recorder.Of("patternquality.training.count"));
        Assert.Equal("cancelled", counted.Tags["patternquality.outcome"]);
    }

    private sealed class CancelAt(TrainingStage stage, CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Stage >= stage)
            {
                cts.Cancel();
            }
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, "timed out waiting for the host");
            await Task.Delay(20);
        }
    }
}
