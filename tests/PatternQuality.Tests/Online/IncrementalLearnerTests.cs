using Microsoft.Extensions.Logging;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Telemetry;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Online;

public class IncrementalLearnerTests
{
    [Fact]
    public async Task AddAsync_ConcurrentWritersAndBackgroundLoop_EveryRecordConsumedOnce()
    {
        var options = new IncrementalLearnerOptions
        {
            Collector = new FeedbackCollectorOptions { Capacity = 64 },
            Trigger = new UpdateTriggerOptions { CountThreshold = 32, MaximumAge = Timeout.InfiniteTimeSpan },
            SnapshotEveryUpdates = 0,
        };
        using var sut = CreateSut(options, out _, out _);
        using var stop = new CancellationTokenSource();
        var loop = sut.RunAsync(stop.Token);
        var records = OfferStream.Generate(800, seed: 3, firstSequence: 1000);

        // Four writers, each also re-sending a few ids another writer sent: duplicates must be discarded, not learned twice.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < records.Count; i += 4)
            {
                await sut.AddAsync(records[i]);
                if (i % 50 == 0)
                {
                    await sut.AddAsync(records[i]);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        while (sut.ConsumedCount < records.Count)
        {
            sut.Trigger.RequestUpdate();
            await Task.Delay(5);
        }

        stop.Cancel();
        await loop;
        Assert.Equal(records.Count, sut.ConsumedCount);
        Assert.Equal(16, sut.Collector.DuplicateCount);
        Assert.Equal(new FeedbackWatermark(1799), sut.Watermark);
        Assert.True(sut.Collector.Count == 0);
    }

    [Fact]
    public async Task RunAsync_LearnerDisposedUnderTheLoop_Returns()
    {
        var sut = CreateSut(new IncrementalLearnerOptions(), out _, out _);
        var loop = sut.RunAsync(CancellationToken.None);

        sut.Dispose();

        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public void TryAdd_FloodFasterThanUpdates_RefusesPastCapacityAndKeepsMemoryBounded()
    {
        var options = new IncrementalLearnerOptions
        {
            Collector = new FeedbackCollectorOptions { Capacity = 10 },
            Trigger = new UpdateTriggerOptions { CountThreshold = 10 },
        };
        using var sut = CreateSut(options, out _, out _);

        var results = OfferStream.Generate(25, seed: 4).Select(sut.TryAdd).ToArray();

        Assert.Equal(10, results.Count(r => r == FeedbackWriteResult.Accepted));
        Assert.Equal(15, results.Count(r => r == FeedbackWriteResult.Full));
        Assert.Equal(10, sut.Collector.Count);
        Assert.Equal(15, sut.Collector.RejectedCount);
    }

    [Fact]
    public async Task UpdateAsync_Batch_ScoresBeforeLearningAndPublishesToTheHolder()
    {
        using var sut = CreateSut(new IncrementalLearnerOptions { GuardFraction = 0, ServeOnlyWhenBetter = false }, out var holder, out _);
        var swapped = 0;
        holder.Swapped += (_, _) => swapped++;
        IncrementalUpdateResult? raised = null;
        sut.ModelUpdated += (_, e) => raised = e;
        foreach (var r in OfferStream.Generate(200, seed: 5, firstSequence: 10))
        {
            Assert.Equal(FeedbackWriteResult.Accepted, sut.TryAdd(r));
        }

        var result = await sut.UpdateAsync();

        Assert.True(result.Accepted);
        Assert.Equal(200, result.BatchSize);
        Assert.True(result.TreesAdded > 0);
        Assert.Equal(new FeedbackWatermark(209), result.Watermark);
        Assert.Same(sut.Model, holder.Current);
        Assert.Equal(IncrementalLearner<Offer>.LearnerName, sut.Model.Info.Trainer);
        Assert.Equal(1, swapped);
        Assert.Same(result, raised);
        var metrics = sut.GetPrequentialMetrics();
        Assert.Equal(200, metrics.TotalCount);
        Assert.InRange(metrics.Auc, 0.7, 1.0);
    }

    [Fact]
    public async Task UpdateAsync_Defaults_FirstUpdate_KeepsServingTheStartModelUntilTheUpdatedOneLeads()
    {
        using var sut = CreateSut(new IncrementalLearnerOptions(), out var holder, out _);
        var before = holder.Current;
        foreach (var r in OfferStream.Generate(200, seed: 5, firstSequence: 10))
        {
            Assert.Equal(FeedbackWriteResult.Accepted, sut.TryAdd(r));
        }

        var result = await sut.UpdateAsync();

        // The update learned (its candidate passed the guard), but both models were the same when this batch was
        // scored: no evidence that the updated one leads yet, so the start model is still what is served.
        Assert.True(result.Accepted, result.Note);
        Assert.False(result.ServesUpdatedModel);
        Assert.Same(((QualityModel)before!).Predictor, ((QualityModel)holder.Current!).Predictor);
        Assert.Equal(new FeedbackWatermark(209), result.Watermark);
    }

    [Fact]
    public async Task UpdateAsync_NothingWaiting_ReturnsWithoutPublishing()
    {
        using var sut = CreateSut(new IncrementalLearnerOptions(), out var holder, out _);
        var before = holder.Current;

        var result = await sut.UpdateAsync();

        Assert.False(result.Accepted);
        Assert.Equal(0, result.BatchSize);
        Assert.Same(before, holder.Current);
    }

    [Fact]
    public async Task UpdateAsync_RecordWhoseFeaturesFail_IsSkippedLoggedAndCountedNotLost()
    {
        var logger = new FakeLogger();
        using var sut = CreateSut(new IncrementalLearnerOptions(), out _, out _, logger: logger);
        var records = OfferStream.Generate(50, seed: 6);
        records[7] = records[7] with { Pattern = records[7].Pattern with { Broken = true } };
        foreach (var r in records)
        {
            sut.TryAdd(r);
        }

        var result = await sut.UpdateAsync();

        Assert.Equal(["r7"], result.InvalidRecordIds);
        Assert.Equal(1, sut.InvalidCount);
        Assert.Equal(50, sut.ConsumedCount);
        Assert.Equal(new FeedbackWatermark(49), sut.Watermark);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 631 && e.Message.Contains("r7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateAsync_OneClassBatch_IsLearnedWithoutCrashing()
    {
        using var sut = CreateSut(new IncrementalLearnerOptions(), out _, out _);
        foreach (var r in OfferStream.Generate(60, seed: 7, approvedOverride: _ => true))
        {
            sut.TryAdd(r);
        }

        var result = await sut.UpdateAsync();

        Assert.Equal(60, result.BatchSize);
        Assert.Equal(0, result.TreesAdded);
        Assert.Equal(60, sut.ConsumedCount);
    }

    [Fact]
    public async Task UpdateAsync_OutOfOrderTimestamps_AreAcceptedCountedAndLearnedInSequenceOrder()
    {
        using var sut = CreateSut(new IncrementalLearnerOptions(), out _, out _);
        var records = OfferStream.Generate(40, seed: 8);
        records[10] = records[10] with { Timestamp = OfferStream.Start.AddDays(-1) };
        foreach (var r in records)
        {
            sut.TryAdd(r);
        }

        var result = await sut.UpdateAsync();

        Assert.Equal(1, sut.Collector.OutOfOrderCount);
        Assert.Equal(40, result.BatchSize);
        Assert.Equal(new FeedbackWatermark(39), result.Watermark);
    }

    [Fact]
    public async Task UpdateAsync_ConceptFlips_RaisesDriftAndAdoptsTheFullRetrain()
    {
        var extractor = OfferStream.Extractor();
        var holder = new QualityModelHolder(OfferStream.Train(extractor, OfferStream.Generate(1000, seed: 1, firstSequence: 100_000)));
        var detector = new PageHinkleyDetector(new PageHinkleyDetectorOptions { Threshold = 20 });
        using var sut = new IncrementalLearner<Offer>(extractor, holder, new IncrementalLearnerOptions { MaximumBatchSize = 100 }, driftDetector: detector);
        var drifts = 0;
        sut.DriftDetected += (_, _) => drifts++;
        var adopted = new List<IQualityModel>();
        holder.Swapped += (_, e) => adopted.Add(e.Current);
        var stream = OfferStream.Generate(300, seed: 2).Concat(OfferStream.Generate(600, seed: 3, firstSequence: 300, flipped: true)).ToList();
        var retrained = OfferStream.Train(OfferStream.Extractor(), stream.Skip(300), trees: 10);
        var retrains = 0;
        sut.FullRetrain = _ =>
        {
            Interlocked.Increment(ref retrains);
            return Task.FromResult(retrained);
        };

        foreach (var r in stream)
        {
            sut.TryAdd(r);
            if (sut.Collector.Count == 100)
            {
                var result = await sut.UpdateAsync();
                if (result.DriftDetected)
                {
                    await sut.PendingRetrain!;
                }
            }
        }

        Assert.True(drifts >= 1);
        Assert.True(retrains >= 1);
        Assert.Contains(adopted, m => ReferenceEquals(((QualityModel)m).Predictor, retrained.Predictor));
    }

    [Fact]
    public async Task UpdateAsync_OverTheBudget_RaisesSlowUpdateLogsAndCounts()
    {
        var logger = new FakeLogger();
        using var meters = new MeterRecorder();
        var options = new IncrementalLearnerOptions { UpdateBudget = TimeSpan.FromMilliseconds(5) };
        using var sut = CreateSut(options, out _, out _, logger, new SteppingTimeProvider(TimeSpan.FromMilliseconds(50)), meters.Factory);
        SlowUpdateArguments? slow = null;
        sut.SlowUpdate += (_, e) => slow = e;
        foreach (var r in OfferStream.Generate(100, seed: 9))
        {
            sut.TryAdd(r);
        }

        await sut.UpdateAsync();

        Assert.NotNull(slow);
        Assert.Equal(100, slow.Value.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(5), slow.Value.Budget);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.EventId.Name == "SlowUpdate");
        Assert.Single(meters.Of("patternquality.update.slow"));
        Assert.Equal(100, Assert.Single(meters.Of("patternquality.update.batch_size")).Value);
        Assert.Equal(IncrementalLearner<Offer>.LearnerName, Assert.Single(meters.Of("patternquality.update.duration")).Tags["patternquality.learner"]);
    }

    [Fact]
    public async Task ResumeAsync_AfterACrash_LosesNothingAndCountsNothingTwice()
    {
        var store = new InMemoryModelStore();
        using var versions = new ModelVersionManager(store);
        var source = new InMemoryFeedbackSource<Offer>();
        var all = OfferStream.Generate(1000, seed: 10);
        foreach (var r in all.Take(650))
        {
            source.Add(r);
        }

        var options = new IncrementalLearnerOptions { MaximumBatchSize = 100, SnapshotEveryUpdates = 2, GuardFraction = 0 };
        var initial = OfferStream.Generate(500, seed: 11, firstSequence: 100_000);
        var extractor = OfferStream.Extractor();
        var first = new IncrementalLearner<Offer>(extractor, new QualityModelHolder(OfferStream.Train(extractor, initial)), options, versions);
        Assert.Equal(650, await first.ResumeAsync(source));

        // Crash: the last 50 records were consumed after the last snapshot and die with the process.
        first.Dispose();
        var active = (await versions.LoadActiveAsync())!;
        Assert.Equal(599, active.Metadata.WatermarkSequence);
        foreach (var r in all.Skip(650))
        {
            source.Add(r);
        }

        var restored = QualityModel.Load(active.Content.ToArray());
        var extractor2 = OfferStream.Extractor().WithHistory(restored.History!.Clone());
        using var second = new IncrementalLearner<Offer>(extractor2, new QualityModelHolder(restored), options, versions);
        var replayed = await second.ResumeAsync(source);

        Assert.Equal(400, replayed);
        Assert.Equal(1000, second.ConsumedCount);
        Assert.Equal(new FeedbackWatermark(999), second.Watermark);
        extractor2.History.GetGlobalCounts("user", out _, out var observed);
        Assert.Equal(500 + 1000, observed);
    }

    [Fact]
    public async Task RollbackAsync_AfterTwoSnapshots_RestoresTheEarlierModel()
    {
        using var versions = new ModelVersionManager(new InMemoryModelStore());
        using var sut = CreateSut(new IncrementalLearnerOptions { GuardFraction = 0, ServeOnlyWhenBetter = false, SnapshotEveryUpdates = 0, SnapshotInterval = Timeout.InfiniteTimeSpan }, out var holder, out _, versions: versions);
        await Learn(sut, OfferStream.Generate(100, seed: 12, firstSequence: 0));
        var a = (await sut.SaveSnapshotAsync())!;
        var treesA = ((TreeEnsembleModel)sut.Model.Predictor).TreeCount;
        await Learn(sut, OfferStream.Generate(100, seed: 13, firstSequence: 100));
        var b = (await sut.SaveSnapshotAsync())!;
        Assert.NotEqual(treesA, ((TreeEnsembleModel)sut.Model.Predictor).TreeCount);

        var restored = await sut.RollbackAsync(reason: "test");

        Assert.Equal(a.Version, restored.Version);
        Assert.Equal(a.Version, await versions.GetActiveVersionAsync());
        Assert.Equal(a.Version, sut.Model.Info.Version);
        Assert.Same(sut.Model, holder.Current);
        Assert.Equal(treesA, ((TreeEnsembleModel)sut.Model.Predictor).TreeCount);
        Assert.Equal(new FeedbackWatermark(199), sut.Watermark);
        Assert.Equal(199, b.WatermarkSequence);
        Assert.Equal(99, a.WatermarkSequence);
    }

    [Fact]
    public async Task RollbackThenKilledBeforeASnapshot_RestartResumesAtTheLearnersPosition_NothingLearnedTwice()
    {
        // Issue 10: an operator's rollback wins, across a SIGKILL too. The learner that adopted the rollback does not
        // learn the rolled-back lineage's feedback onto the restored version, and neither must the next process.
        using var versions = new ModelVersionManager(new InMemoryModelStore());
        var options = new IncrementalLearnerOptions { GuardFraction = 0, ServeOnlyWhenBetter = false, SnapshotEveryUpdates = 0, SnapshotInterval = Timeout.InfiniteTimeSpan };
        var records = OfferStream.Generate(200, seed: 12, firstSequence: 0);
        var source = new InMemoryFeedbackSource<Offer>();
        foreach (var r in records)
        {
            source.Add(r);
        }

        var first = CreateSut(options, out _, out var extractor, versions: versions);
        await Learn(first, records.Take(100));
        var a = (await first.SaveSnapshotAsync())!;
        var treesA = ((TreeEnsembleModel)first.Model.Predictor).TreeCount;
        await Learn(first, records.Skip(100));
        var b = (await first.SaveSnapshotAsync())!;

        await versions.RollbackAsync(reason: "operator, from another process");
        Assert.True(await first.SyncWithActiveVersionAsync());
        extractor.History.GetGlobalCounts("user", out _, out var observedBeforeKill);
        var position = Assert.Single(await versions.ListAsync(), v => v.ParentVersion == a.Version && v.Version != b.Version);
        Assert.Equal(199, position.WatermarkSequence);
        Assert.Equal(a.Version, await versions.GetActiveVersionAsync());

        // SIGKILL: no stop snapshot. The next process loads the active version, as a host does.
        first.Dispose();
        var active = (await versions.LoadActiveAsync())!;
        var restored = QualityModel.Load(active.Content.ToArray());
        var extractor2 = OfferStream.Extractor().WithHistory(restored.History!.Clone());
        using var second = new IncrementalLearner<Offer>(extractor2, new QualityModelHolder(restored), options, versions);
        var replayed = await second.ResumeAsync(source);

        Assert.Equal(0, replayed);
        Assert.Equal(new FeedbackWatermark(199), second.Watermark);
        Assert.Equal(a.Version, second.BaseVersion);
        Assert.Equal(treesA, ((TreeEnsembleModel)second.Model.Predictor).TreeCount);
        extractor2.History.GetGlobalCounts("user", out _, out var observedAfterRestart);
        Assert.Equal(observedBeforeKill, observedAfterRestart);
        Assert.Equal(a.Version, await versions.GetActiveVersionAsync());
    }

    [Fact]
    public async Task PositionOfAnEarlierActivation_IsNotTakenWhenTheVersionIsActivatedAgain()
    {
        using var versions = new ModelVersionManager(new InMemoryModelStore());
        var options = new IncrementalLearnerOptions { GuardFraction = 0, ServeOnlyWhenBetter = false, SnapshotEveryUpdates = 0, SnapshotInterval = Timeout.InfiniteTimeSpan };
        var records = OfferStream.Generate(200, seed: 14, firstSequence: 0);
        using var first = CreateSut(options, out _, out _, versions: versions);
        await Learn(first, records.Take(100));
        var a = (await first.SaveSnapshotAsync())!;
        await Learn(first, records.Skip(100));
        var b = (await first.SaveSnapshotAsync())!;
        await first.RollbackAsync(reason: "operator");

        // The operator promotes b again and then activates a by hand: a's earlier position belongs to the earlier activation.
        await versions.ActivateAsync(b.Version, "operator");
        await versions.ActivateAsync(a.Version, "operator, by hand");
        var stored = (await versions.LoadActiveAsync())!;
        var restored = QualityModel.Load(stored.Content.ToArray());
        using var second = new IncrementalLearner<Offer>(OfferStream.Extractor().WithHistory(restored.History!.Clone()), new QualityModelHolder(restored), options, versions);
        await second.ResumeAsync(new InMemoryFeedbackSource<Offer>());

        Assert.Equal(new FeedbackWatermark(99), second.Watermark);
    }

    [Fact]
    public void Ctor_EmptyHolder_ThrowsNamingTheFix()
    {
        var ex = Assert.Throws<ArgumentException>(() => new IncrementalLearner<Offer>(OfferStream.Extractor(), new QualityModelHolder()));
        Assert.Contains("no model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ExtractorOfAnotherSchema_ThrowsSchemaMismatch()
    {
        var extractor = OfferStream.Extractor();
        var holder = new QualityModelHolder(OfferStream.Train(extractor, OfferStream.Generate(300, seed: 1)));
        var other = new FeatureExtractorBuilder<Offer>().Numeric("price", o => o.Price).Build();

        Assert.Throws<SchemaMismatchException>(() => new IncrementalLearner<Offer>(other, holder));
    }

    private static async Task Learn(IncrementalLearner<Offer> sut, IEnumerable<FeedbackRecord<Offer>> records)
    {
        foreach (var r in records)
        {
            sut.TryAdd(r);
        }

        await sut.UpdateAsync();
    }

    private static IncrementalLearner<Offer> CreateSut(
        IncrementalLearnerOptions options,
        out QualityModelHolder holder,
        out FeatureExtractor<Offer> extractor,
        ILogger? logger = null,
        TimeProvider? time = null,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory = null,
        ModelVersionManager? versions = null)
    {
        extractor = OfferStream.Extractor();
        holder = new QualityModelHolder(OfferStream.Train(extractor, OfferStream.Generate(1000, seed: 1, firstSequence: 100_000)));
        return new IncrementalLearner<Offer>(extractor, holder, options, versions, logger, time, meterFactory);
    }

    /// <summary>A clock whose every timestamp read moves it forward by a fixed step, so any update "takes" that long.</summary>
    private sealed class SteppingTimeProvider(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
