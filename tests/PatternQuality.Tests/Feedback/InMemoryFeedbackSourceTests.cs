using PatternQuality.Feedback;

namespace PatternQuality.Tests.Feedback;

public class InMemoryFeedbackSourceTests
{
    private static InMemoryFeedbackSource<string> CreateSut(TimeProvider? time = null) => new(time);

    [Fact]
    public async Task ReadAsync_AfterWatermark_YieldsOnlyLaterRecordsInOrder()
    {
        var sut = CreateSut();
        for (var i = 0; i < 5; i++)
        {
            sut.Add("p" + i, i % 2 == 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, "u");
        }

        var all = await ToListAsync(sut.ReadAsync(FeedbackWatermark.Start));
        var later = await ToListAsync(sut.ReadAsync(new FeedbackWatermark(2)));

        Assert.Equal([0L, 1, 2, 3, 4], all.Select(r => r.Sequence));
        Assert.Equal(["p3", "p4"], later.Select(r => r.Pattern));
        Assert.Equal("u", later[0].UserId);
    }

    [Fact]
    public void Add_Pattern_StampsTimeFromTimeProvider()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var sut = CreateSut(new FixedTimeProvider(now));
        var record = sut.Add("p", FeedbackOutcome.Approved);
        Assert.Equal(now, record.Timestamp);
        Assert.Equal("mem-0", record.Id);
    }

    [Fact]
    public void Add_RecordWithOldSequence_ThrowsNamingBoth()
    {
        var sut = CreateSut();
        sut.Add(new FeedbackRecord<string>("a", 5, "p", FeedbackOutcome.Approved, DateTimeOffset.UnixEpoch));
        var ex = Assert.Throws<ArgumentException>(() => sut.Add(new FeedbackRecord<string>("b", 5, "p", FeedbackOutcome.Approved, DateTimeOffset.UnixEpoch)));
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("(5)", ex.Message);
    }

    [Fact]
    public void Add_NullPattern_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CreateSut().Add((string)null!, FeedbackOutcome.Approved));
    }

    [Fact]
    public void Add_Concurrent_AssignsUniqueIncreasingSequences()
    {
        var sut = CreateSut();
        Parallel.For(0, 1000, i => sut.Add("p" + i, FeedbackOutcome.Approved));
        Assert.Equal(1000, sut.Count);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Throws()
    {
        var sut = CreateSut();
        sut.Add("p", FeedbackOutcome.Approved);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(sut.ReadAsync(FeedbackWatermark.Start, cts.Token)));
    }

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
