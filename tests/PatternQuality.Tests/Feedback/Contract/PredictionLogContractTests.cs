using PatternQuality.Feedback;
using PatternQuality.Tests.Storage;

namespace PatternQuality.Tests.Feedback.Contract;

/// <summary>
/// What every <see cref="IPredictionLog"/> promises (issue 13: the prediction log that closes the loop), run once per log
/// by a derived class: every field read back, resolution by pattern id from the served decision and the label (only
/// unresolved predictions, a repeated verdict harmless, the first verdict of a batch counting, a later prediction left
/// open), concurrent writers on two instances, cancellation and bad input.
/// </summary>
public abstract class PredictionLogContractTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 30, 15, 123, TimeSpan.FromHours(1));
    private readonly TempDirectory _temp = new();
    private readonly List<IPredictionLog> _opened = [];

    /// <summary>Gets a fresh temporary directory for the log's data, deleted after the test.</summary>
    protected string TempPath => _temp.Path;

    public void Dispose()
    {
        foreach (var log in _opened)
        {
            (log as IDisposable)?.Dispose();
        }

        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the log on this test's data: a new instance per call that sees what earlier ones wrote (a log in memory returns its one instance).</summary>
    protected abstract IPredictionLog CreateLog();

    [Fact]
    public async Task AppendAsync_ReadsBackEveryFieldOldestFirst_Unresolved()
    {
        var sut = Open();
        var served = new[]
        {
            new PredictionRecord("offer-1", "v20261129-a", 0.8125f, true, Start) { UserId = "u-7" },
            new PredictionRecord("offer-2", "v20261129-a", 0.1f, false, Start.AddSeconds(1)),
            new PredictionRecord("offer-1", "v20261129-b", 0.4375f, false, Start.AddMinutes(5)) { WasCorrect = true },
        };

        await sut.AppendAsync(served);

        var read = await Open().ReadAsync("offer-1");
        Assert.Equal(2, read.Count);
        AssertSame(served[0], read[0]);
        AssertSame(served[2] with { WasCorrect = null }, read[1]);
        Assert.All(read, p => Assert.Null(p.WasCorrect));
        AssertSame(served[1], Assert.Single(await sut.ReadAsync("offer-2")));
        Assert.Empty(await sut.ReadAsync("never-served"));
    }

    [Fact]
    public async Task ResolveAsync_SetsWasCorrectFromTheServedDecisionAndTheLabel_OnlyForUnresolvedPredictionsOfThePattern()
    {
        var sut = Open();
        await sut.AppendAsync([
            new PredictionRecord("a", "v1", 0.9f, true, Start),
            new PredictionRecord("a", "v2", 0.3f, false, Start.AddSeconds(1)),
            new PredictionRecord("b", "v1", 0.7f, true, Start.AddSeconds(2)),
            new PredictionRecord("c", "v1", 0.2f, false, Start.AddSeconds(3)),
        ]);

        var resolved = await sut.ResolveAsync([new PredictionOutcome("a", FeedbackOutcome.Approved), new PredictionOutcome("c", FeedbackOutcome.Approved), new PredictionOutcome("unknown", FeedbackOutcome.Rejected)]);

        Assert.Equal(3, resolved);
        Assert.Equal(new bool?[] { true, false }, (await sut.ReadAsync("a")).Select(p => p.WasCorrect));
        Assert.Null(Assert.Single(await sut.ReadAsync("b")).WasCorrect);
        Assert.False(Assert.Single(await sut.ReadAsync("c")).WasCorrect);

        // A repeated (or contrary) verdict changes nothing already resolved; a prediction served after it stays open.
        await sut.AppendAsync([new PredictionRecord("a", "v3", 0.6f, true, Start.AddMinutes(1))]);
        Assert.Equal(0, await Open().ResolveAsync([new PredictionOutcome("c", FeedbackOutcome.Rejected)]));
        Assert.False(Assert.Single(await sut.ReadAsync("c")).WasCorrect);
        Assert.Equal(new bool?[] { true, false, null }, (await sut.ReadAsync("a")).Select(p => p.WasCorrect));
    }

    [Fact]
    public async Task ResolveAsync_APatternTwiceInOneBatch_TheFirstVerdictCounts()
    {
        var sut = Open();
        await sut.AppendAsync([new PredictionRecord("x", "v1", 0.9f, true, Start)]);

        Assert.Equal(1, await sut.ResolveAsync([new PredictionOutcome("x", FeedbackOutcome.Rejected), new PredictionOutcome("x", FeedbackOutcome.Approved)]));

        Assert.False(Assert.Single(await sut.ReadAsync("x")).WasCorrect);
    }

    [Fact]
    public async Task EmptyLog_ReadsAndResolvesNothing()
    {
        var sut = Open();

        Assert.Empty(await sut.ReadAsync("a"));
        Assert.Equal(0, await sut.ResolveAsync([new PredictionOutcome("a", FeedbackOutcome.Approved)]));
        await sut.AppendAsync([]);
        Assert.Equal(0, await sut.ResolveAsync([]));
    }

    [Fact]
    public async Task ConcurrentWritersOnTwoInstances_StoreEveryPrediction()
    {
        var first = Open();
        var second = Open();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var log = w % 2 == 0 ? first : second;
            for (var b = 0; b < 5; b++)
            {
                await log.AppendAsync(Enumerable.Range(0, 20).Select(i => new PredictionRecord($"p{i}", $"w{w}", i / 20f, i >= 10, Start.AddSeconds(b))).ToArray());
            }
        })));

        for (var i = 0; i < 20; i++)
        {
            var read = await first.ReadAsync($"p{i}");
            Assert.Equal(40, read.Count);
            Assert.Equal(8, read.Select(p => p.ModelVersion).Distinct().Count());
        }

        Assert.Equal(40, await second.ResolveAsync([new PredictionOutcome("p3", FeedbackOutcome.Rejected)]));
        Assert.All(await first.ReadAsync("p3"), p => Assert.True(p.WasCorrect));
    }

    [Fact]
    public async Task CancelledToken_StoresAndChangesNothing()
    {
        var sut = Open();
        await sut.AppendAsync([new PredictionRecord("a", "v1", 0.9f, true, Start)]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.AppendAsync([new PredictionRecord("a", "v2", 0.9f, true, Start)], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.ResolveAsync([new PredictionOutcome("a", FeedbackOutcome.Approved)], cancelled.Token));

        Assert.Null(Assert.Single(await sut.ReadAsync("a")).WasCorrect);
    }

    [Fact]
    public async Task BadInput_IsRefusedBeforeAnythingIsWritten()
    {
        var sut = Open();

        await Assert.ThrowsAsync<ArgumentNullException>(() => sut.AppendAsync(null!));
        var nullInBatch = await Assert.ThrowsAsync<ArgumentException>(() => sut.AppendAsync([new PredictionRecord("a", "v1", 0.5f, true, Start), null!]));
        Assert.Contains("Prediction 1", nullInBatch.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(() => sut.ResolveAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.ResolveAsync([new PredictionOutcome(" ", FeedbackOutcome.Approved)]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => sut.ReadAsync(""));

        Assert.Empty(await sut.ReadAsync("a"));
    }

    [Fact]
    public void PredictionRecord_RefusesWhatNoLogCouldStore()
    {
        Assert.ThrowsAny<ArgumentException>(() => new PredictionRecord("", "v1", 0.5f, true, Start));
        Assert.ThrowsAny<ArgumentException>(() => new PredictionRecord("a", " ", 0.5f, true, Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionRecord("a", "v1", float.NaN, true, Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionRecord("a", "v1", 1.0001f, true, Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionRecord("a", "v1", -0.1f, false, Start));
    }

    private static void AssertSame(PredictionRecord expected, PredictionRecord actual)
    {
        Assert.Equal(expected.PatternId, actual.PatternId);
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.PredictedApproved, actual.PredictedApproved);
        Assert.Equal(expected.Timestamp.UtcDateTime, actual.Timestamp.UtcDateTime);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.WasCorrect, actual.WasCorrect);
    }

    private IPredictionLog Open()
    {
        var log = CreateLog();
        if (!_opened.Contains(log))
        {
            _opened.Add(log);
        }

        return log;
    }
}
