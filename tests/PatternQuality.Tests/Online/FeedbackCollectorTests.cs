using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Online;

public class FeedbackCollectorTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryWrite_Full_ReturnsFullAndKeepsEveryEarlierRecord()
    {
        using var sut = CreateSut(capacity: 3);

        var results = Enumerable.Range(0, 5).Select(i => sut.TryWrite(Record(i))).ToArray();

        Assert.Equal([FeedbackWriteResult.Accepted, FeedbackWriteResult.Accepted, FeedbackWriteResult.Accepted, FeedbackWriteResult.Full, FeedbackWriteResult.Full], results);
        Assert.Equal(3, sut.Count);
        Assert.Equal(2, sut.RejectedCount);
        Assert.Equal(["r0", "r1", "r2"], sut.DrainBatch().Select(r => r.Id));
    }

    [Fact]
    public async Task WriteAsync_Full_WaitsUntilDrainedThenAccepts()
    {
        using var sut = CreateSut(capacity: 2);
        await sut.WriteAsync(Record(0));
        await sut.WriteAsync(Record(1));

        var pending = sut.WriteAsync(Record(2)).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        sut.DrainBatch(1);

        Assert.Equal(FeedbackWriteResult.Accepted, await pending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, sut.Count);
        Assert.Equal(0, sut.RejectedCount);
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileFull_ThrowsAndDoesNotAdd()
    {
        using var sut = CreateSut(capacity: 1);
        await sut.WriteAsync(Record(0));
        using var cts = new CancellationTokenSource();

        var pending = sut.WriteAsync(Record(1), cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void TryWrite_DuplicateIdWithinWindow_DiscardsAndCounts()
    {
        using var sut = CreateSut();

        sut.TryWrite(Record(1));
        var second = sut.TryWrite(Record(1) with { Sequence = 99 });

        Assert.Equal(FeedbackWriteResult.Duplicate, second);
        Assert.Equal(1, sut.DuplicateCount);
        Assert.Single(sut.DrainBatch());
    }

    [Fact]
    public async Task WriteAsync_SameIdsFromManyThreadsWhileFull_EachIdAcceptedExactlyOnce()
    {
        using var sut = CreateSut(capacity: 10);
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var accepted = 0;
            for (var i = 0; i < 200; i++)
            {
                if (await sut.WriteAsync(Record(i)) == FeedbackWriteResult.Accepted)
                {
                    accepted++;
                }
            }

            return accepted;
        })).ToArray();

        var ids = new List<string>();
        while (ids.Count < 200)
        {
            ids.AddRange((await sut.ReadBatchAsync(3).AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Select(r => r.Id));
        }

        var counts = await Task.WhenAll(writers);
        Assert.Equal(200, counts.Sum());
        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(600, sut.DuplicateCount);
    }

    [Fact]
    public void TryWrite_DuplicateOlderThanWindow_AcceptedAgain()
    {
        using var sut = CreateSut(duplicateWindow: 2);

        sut.TryWrite(Record(1));
        sut.TryWrite(Record(2));
        sut.TryWrite(Record(3));

        Assert.Equal(FeedbackWriteResult.Accepted, sut.TryWrite(Record(1)));
    }

    [Fact]
    public void TryWrite_DuplicateAfterDrain_StillDetected()
    {
        using var sut = CreateSut();
        sut.TryWrite(Record(1));
        sut.DrainBatch();

        Assert.Equal(FeedbackWriteResult.Duplicate, sut.TryWrite(Record(1)));
    }

    [Fact]
    public void DrainBatch_OutOfOrderArrivals_OrderedBySequenceAndCounted()
    {
        using var sut = CreateSut();
        sut.TryWrite(Record(5));
        sut.TryWrite(Record(3));
        sut.TryWrite(Record(4));

        var batch = sut.DrainBatch();

        Assert.Equal([3L, 4L, 5L], batch.Select(r => r.Sequence));
        Assert.Equal(2, sut.OutOfOrderCount);
        Assert.Equal(3, sut.AcceptedCount);
    }

    [Fact]
    public void DrainBatch_MaxCount_TakesOldestArrivalsFirst()
    {
        using var sut = CreateSut();
        for (var i = 0; i < 10; i++)
        {
            sut.TryWrite(Record(i));
        }

        var batch = sut.DrainBatch(4);

        Assert.Equal([0L, 1L, 2L, 3L], batch.Select(r => r.Sequence));
        Assert.Equal(6, sut.Count);
    }

    [Fact]
    public async Task ReadBatchAsync_Empty_WaitsForFirstRecord()
    {
        using var sut = CreateSut();
        var read = sut.ReadBatchAsync(10).AsTask();
        await Task.Delay(20);
        Assert.False(read.IsCompleted);

        sut.TryWrite(Record(7));

        var batch = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("r7", Assert.Single(batch).Id);
    }

    [Fact]
    public async Task ReadBatchAsync_Cancelled_Throws()
    {
        using var sut = CreateSut();
        using var cts = new CancellationTokenSource();
        var read = sut.ReadBatchAsync(10, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task WriteAsync_FloodFasterThanReader_BoundedAndLosesNothing()
    {
        using var sut = CreateSut(capacity: 50);
        const int Total = 5000;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < Total; i += 4)
            {
                Assert.Equal(FeedbackWriteResult.Accepted, await sut.WriteAsync(Record(i)));
            }
        })).ToArray();

        var seen = new HashSet<string>();
        while (seen.Count < Total)
        {
            Assert.True(sut.Count <= 50);
            foreach (var r in await sut.ReadBatchAsync(7).AsTask().WaitAsync(TimeSpan.FromSeconds(30)))
            {
                Assert.True(seen.Add(r.Id));
            }
        }

        await Task.WhenAll(writers);
        Assert.Equal(Total, sut.AcceptedCount);
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public void TryWrite_WithTrigger_TriggerSeesArrivalsAndDrains()
    {
        using var trigger = new UpdateTrigger(new UpdateTriggerOptions { CountThreshold = 3 }, new FakeTimeProvider());
        using var sut = new FeedbackCollector<string>(new FeedbackCollectorOptions { Capacity = 10 }, trigger);

        for (var i = 0; i < 4; i++)
        {
            sut.TryWrite(Record(i));
        }

        Assert.Equal(UpdateReason.Count, trigger.Reason);
        sut.DrainBatch();
        Assert.Equal(UpdateReason.None, trigger.Reason);
        Assert.Equal(0, trigger.PendingCount);
    }

    [Fact]
    public void Constructor_TriggerThresholdAboveCapacity_ThrowsNamingBothOptions()
    {
        using var trigger = new UpdateTrigger(new UpdateTriggerOptions { CountThreshold = 100 }, new FakeTimeProvider());

        var ex = Assert.Throws<ArgumentException>(() => new FeedbackCollector<string>(new FeedbackCollectorOptions { Capacity = 10 }, trigger));

        Assert.Contains("CountThreshold", ex.Message);
        Assert.Contains("Capacity", ex.Message);
    }

    [Theory]
    [InlineData(nameof(FeedbackCollectorOptions.Capacity))]
    [InlineData(nameof(FeedbackCollectorOptions.DuplicateWindow))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOption(string option)
    {
        var options = option == nameof(FeedbackCollectorOptions.Capacity)
            ? new FeedbackCollectorOptions { Capacity = 0 }
            : new FeedbackCollectorOptions { DuplicateWindow = -1 };

        var ex = Assert.Throws<OptionsValidationException>(() => new FeedbackCollector<string>(options));

        Assert.Single(ex.Failures);
        Assert.Contains($"The field FeedbackCollectorOptions.{option} must be between", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryWrite_Null_ThrowsArgumentNull()
    {
        using var sut = CreateSut();

        Assert.Throws<ArgumentNullException>(() => sut.TryWrite(null!));
    }

    private static FeedbackCollector<string> CreateSut(int capacity = 100, int duplicateWindow = 1000)
        => new(new FeedbackCollectorOptions { Capacity = capacity, DuplicateWindow = duplicateWindow });

    private static FeedbackRecord<string> Record(int i)
        => new($"r{i}", i, $"pattern {i}", i % 2 == 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, _t0.AddSeconds(i));
}
