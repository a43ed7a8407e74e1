using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Telemetry;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.Telemetry;

namespace PatternQuality.Tests.Feedback;

/// <summary>
/// <see cref="PredictionRecorder"/> never holds up scoring: a full queue drops and counts (one warning per interval), a
/// failing log counts and logs, order between predictions and verdicts is kept, and what is queued is written on flush
/// and on dispose. Also through a real SQLite file whose write lock another process (sqlite3) holds.
/// </summary>
public sealed class PredictionRecorderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task QueueFull_WhileTheLogIsStuck_RecordNeverWaits_DropsAreCountedAndWarnedOnce_TheQueuedAreWrittenLater()
    {
        var log = new GatedLog();
        var logger = new FakeLogger();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sut = new PredictionRecorder(log, new PredictionRecorderOptions { Capacity = 10, BatchSize = 4 }, new LoggerAdapter(logger), time);

        Assert.True(sut.TryRecord("first", "v1", 0.9f));
        await log.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The writer is stuck inside the log with the first one: 10 more fit in the queue, the other 20 are dropped.
        var queued = Enumerable.Range(0, 30).Count(i => sut.TryRecord($"p{i}", "v1", i / 30f));

        Assert.Equal(10, queued);
        Assert.Equal(20, sut.DroppedCount);
        var warning = Assert.Single(logger.Entries, e => e.EventId.Id == 650);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(1L, warning.Properties["Dropped"]);

        // Another drop after the interval is warned about again, with the count since the last warning.
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(sut.TryResolve(new PredictionOutcome("p0", FeedbackOutcome.Approved)));
        Assert.Equal(20L, logger.Entries.Last(e => e.EventId.Id == 650).Properties["Dropped"]);

        log.Release();
        await sut.FlushAsync();
        Assert.Equal(11, sut.RecordedCount);
        Assert.Equal(11, log.Predictions.Count);
        Assert.Equal(21, sut.DroppedCount);
        Assert.Equal(0, sut.FailedCount);
        Assert.True(log.Batches.Skip(1).All(b => b <= 4), "batches are bounded by BatchSize");
    }

    [Fact]
    public async Task TryRecord_StampsNow_DecisionFromTheThreshold()
    {
        var log = new InMemoryPredictionLog();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sut = new PredictionRecorder(log, new PredictionRecorderOptions { DecisionThreshold = 0.7 }, timeProvider: time);

        sut.TryRecord("hi", "v1", 0.7f, userId: "u1");
        sut.TryRecord("lo", "v1", 0.69f);
        await sut.FlushAsync();

        var hi = Assert.Single(await log.ReadAsync("hi"));
        Assert.True(hi.PredictedApproved);
        Assert.Equal(time.GetUtcNow(), hi.Timestamp);
        Assert.Equal("u1", hi.UserId);
        Assert.False(Assert.Single(await log.ReadAsync("lo")).PredictedApproved);
        Assert.Equal(0.7, sut.DecisionThreshold);
    }

    [Fact]
    public async Task VerdictsAndPredictions_AreWrittenInQueueOrder_AVerdictNeverResolvesAPredictionServedAfterIt()
    {
        var log = new InMemoryPredictionLog();
        await using var sut = new PredictionRecorder(log, new PredictionRecorderOptions { BatchSize = 100 });

        for (var round = 0; round < 50; round++)
        {
            sut.TryRecord("same", $"v{round}", 0.9f);
            sut.TryResolve(new PredictionOutcome("same", round % 2 == 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected));
        }

        sut.TryRecord("same", "last", 0.9f);
        await sut.FlushAsync();

        var read = await log.ReadAsync("same");
        Assert.Equal(51, read.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(r => (bool?)(r % 2 == 0)).Append(null), read.Select(p => p.WasCorrect));
        Assert.Equal(50, sut.ResolvedCount);
    }

    [Fact]
    public async Task FailingLog_CountsAndLogsEveryLostEntry_AndKeepsGoing()
    {
        var logger = new FakeLogger();
        var log = new FailingLog();
        await using var sut = new PredictionRecorder(log, new PredictionRecorderOptions(), new LoggerAdapter(logger));

        sut.TryRecord("a", "v1", 0.5f);
        await sut.FlushAsync();
        sut.TryResolve(new PredictionOutcome("a", FeedbackOutcome.Approved));
        await sut.FlushAsync();
        log.Fail = false;
        sut.TryRecord("b", "v1", 0.5f);
        await sut.FlushAsync();

        Assert.Equal(2, sut.FailedCount);
        Assert.Equal(1, sut.RecordedCount);
        Assert.Equal(2, logger.Entries.Count(e => e.EventId.Id == 651 && e.Level == LogLevel.Error && e.Exception is IOException));
    }

    [Fact]
    public async Task DisposeAsync_WritesWhatIsQueued_ThenRefusesNewEntries()
    {
        var log = new InMemoryPredictionLog();
        var sut = new PredictionRecorder(log, new PredictionRecorderOptions { BatchSize = 7 });
        for (var i = 0; i < 100; i++)
        {
            sut.TryRecord($"p{i}", "v1", 0.25f);
        }

        await sut.DisposeAsync();
        await sut.DisposeAsync();

        Assert.Equal(100, log.Count);
        Assert.False(sut.TryRecord("late", "v1", 0.5f));
        Assert.Equal(1, sut.DroppedCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.FlushAsync());
    }

    [Fact]
    public void Options_EveryBadSettingListedOnce_ConstructorAndValidateAgree()
    {
        var options = new PredictionRecorderOptions { Capacity = 0, BatchSize = 100_001, DecisionThreshold = double.NaN };

        var fromConstructor = Assert.Throws<OptionsValidationException>(() => new PredictionRecorder(new InMemoryPredictionLog(), options));
        var fromValidate = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(3, fromConstructor.Failures.Count());
        Assert.Equal(fromConstructor.Failures, fromValidate.Failures);
        Assert.Throws<ArgumentNullException>(() => new PredictionRecorder(null!, new PredictionRecorderOptions()));
        Assert.Throws<ArgumentNullException>(() => new PredictionRecorder(new InMemoryPredictionLog(), null!));
    }

    [Fact]
    public async Task SqliteFile_AnotherProcessHoldsTheWriteLock_ScoringIsNotHeldUp_TheStuckBatchIsCounted_LaterOnesAreWritten()
    {
        var path = Path.Combine(_temp.Path, "patternquality.db");
        using var log = new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = path, LockTimeout = TimeSpan.FromMilliseconds(200) });
        await log.AppendAsync([new PredictionRecord("warm-up", "v1", 0.5f, true, DateTimeOffset.UtcNow)]);
        var logger = new FakeLogger();
        await using var sut = new PredictionRecorder(log, new PredictionRecorderOptions { Capacity = 50, BatchSize = 50 }, new LoggerAdapter(logger));
        var holder = await SqliteTestDatabase.StartHolderAsync(path, "BEGIN IMMEDIATE;");
        if (holder is null)
        {
            return;
        }

        try
        {
            // Every call returns at once whatever the database does: the first 50 queue (or are being written), the rest drop.
            var queued = Enumerable.Range(0, 500).Count(i => sut.TryRecord($"p{i}", "v1", 0.75f));
            Assert.InRange(queued, 50, 100);
            Assert.Equal(500 - queued, sut.DroppedCount);
            await sut.FlushAsync();
            Assert.Equal(queued, sut.FailedCount);
            Assert.Contains(logger.Entries, e => e.EventId.Id == 651 && e.Exception is ModelStoreAccessException);
        }
        finally
        {
            await SqliteTestDatabase.KillAsync(holder);
        }

        sut.TryRecord("after", "v1", 0.75f);
        sut.TryResolve(new PredictionOutcome("after", FeedbackOutcome.Rejected));
        await sut.FlushAsync();
        Assert.False(Assert.Single(await log.ReadAsync("after")).WasCorrect);
        Assert.Equal(2L, SqliteTestDatabase.Scalar(path, "SELECT count(*) FROM pq_predictions;"));
    }

    /// <summary>A log whose first append waits until released, so the recorder's writer is stuck inside it.</summary>
    private sealed class GatedLog : IPredictionLog
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<PredictionRecord> Predictions { get; } = [];

        public List<int> Batches { get; } = [];

        public void Release() => _gate.TrySetResult();

        public async Task AppendAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await _gate.Task;
            lock (Predictions)
            {
                Predictions.AddRange(predictions);
                Batches.Add(predictions.Count);
            }
        }

        public Task<int> ResolveAsync(IReadOnlyList<PredictionOutcome> outcomes, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<IReadOnlyList<PredictionRecord>> ReadAsync(string patternId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<PredictionRecord>>([]);
    }

    private sealed class FailingLog : IPredictionLog
    {
        public bool Fail { get; set; } = true;

        public Task AppendAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken = default) =>
            Fail ? Task.FromException(new IOException("disk gone")) : Task.CompletedTask;

        public Task<int> ResolveAsync(IReadOnlyList<PredictionOutcome> outcomes, CancellationToken cancellationToken = default) =>
            Fail ? Task.FromException<int>(new IOException("disk gone")) : Task.FromResult(0);

        public Task<IReadOnlyList<PredictionRecord>> ReadAsync(string patternId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<PredictionRecord>>([]);
    }

    private sealed class LoggerAdapter(FakeLogger inner) : ILogger<PredictionRecorder>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
