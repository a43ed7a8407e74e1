using System.Globalization;
using PatternQuality.Feedback;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.Feedback.Contract;

/// <summary>
/// What every <see cref="IFeedbackStore{TPattern}"/> promises (issue 13 item 3), run once per store by a derived class:
/// numbering, idempotence by id, every field round-tripped, watermark resume with no record lost or counted twice
/// (also while appends run), reopening after dispose, concurrent appenders (and two instances where the store allows
/// them, as two processes would have), cancellation and bad input. The patterns are real rows of the in-vehicle coupon
/// data, as <c>pq serve</c> stores them. Crash and multi-process behaviour stays in each store's own tests.
/// </summary>
public abstract class FeedbackStoreContractTests : IDisposable
{
    private static readonly Lazy<Row[]> CouponRows = new(LoadCouponRows);
    private readonly TempDirectory _temp = new();
    private readonly List<IFeedbackStore<Row>> _opened = [];

    /// <summary>Gets a fresh temporary directory for the store's data, deleted after the test.</summary>
    protected string TempPath => _temp.Path;

    /// <summary>Gets whether two instances may be open on the same data at once (as two host processes would).</summary>
    protected virtual bool SupportsConcurrentInstances => false;

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            (store as IDisposable)?.Dispose();
        }

        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Opens the store on this test's data: a new instance per call that sees everything stored by earlier ones (a
    /// store that lives in memory returns its one instance).
    /// </summary>
    protected abstract IFeedbackStore<Row> CreateStore();

    [Fact]
    public async Task AppendAsync_NumbersNewRecordsAndReadsBackEveryField()
    {
        var sut = Open();
        var records = Records(0, 300);

        var result = await sut.AppendAsync(records);

        Assert.Equal(0, result.Duplicates);
        Assert.Equal(300, result.Accepted.Count);
        AssertIncreasing(result.Accepted.Select(r => r.Sequence));
        Assert.True(result.Accepted[0].Sequence > FeedbackWatermark.Start.Sequence);
        for (var i = 0; i < records.Length; i++)
        {
            AssertSameFeedback(records[i], result.Accepted[i]);
        }

        var read = await ReadAll(sut, FeedbackWatermark.Start);
        Assert.Equal(result.Accepted.Select(r => (r.Id, r.Sequence)), read.Select(r => (r.Id, r.Sequence)));
        for (var i = 0; i < read.Count; i++)
        {
            AssertSameFeedback(records[i], read[i]);
        }

        Assert.Equal(300, await sut.CountAsync());
    }

    [Fact]
    public async Task AppendAsync_IdsAlreadyHeldOrRepeatedInTheBatch_AreDuplicatesStoredOnce()
    {
        var sut = Open();
        await sut.AppendAsync(Records(0, 100));
        var overlapping = Records(50, 100).Append(Records(120, 1)[0]).ToArray();

        var second = await sut.AppendAsync(overlapping);
        var retry = await sut.AppendAsync(overlapping);

        Assert.Equal((50, 51), (second.Accepted.Count, second.Duplicates));
        Assert.Equal(Enumerable.Range(100, 50).Select(Id), second.Accepted.Select(r => r.Id));
        Assert.Equal((0, 101), (retry.Accepted.Count, retry.Duplicates));
        var read = await ReadAll(sut, FeedbackWatermark.Start);
        Assert.Equal(Enumerable.Range(0, 150).Select(Id), read.Select(r => r.Id));
        Assert.Equal(150, await sut.CountAsync());
    }

    [Fact]
    public async Task ReadAsync_ResumingAfterEachWatermark_YieldsEveryRecordOnceAndRepeatsItself()
    {
        var sut = Open();
        var seen = new List<FeedbackRecord<Row>>();
        var watermark = FeedbackWatermark.Start;
        for (var batch = 0; batch < 5; batch++)
        {
            await sut.AppendAsync(Records(batch * 40, 40));
            var again = await ReadAll(sut, watermark);
            var read = await ReadAll(sut, watermark);
            Assert.Equal(again.Select(r => (r.Id, r.Sequence)), read.Select(r => (r.Id, r.Sequence)));
            seen.AddRange(read);
            watermark = new FeedbackWatermark(read[^1].Sequence);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(Id), seen.Select(r => r.Id));
        AssertIncreasing(seen.Select(r => r.Sequence));
        Assert.Empty(await ReadAll(sut, watermark));
        Assert.Equal(80, (await ReadAll(sut, new FeedbackWatermark(seen[119].Sequence))).Count);
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsRecordsIdsAndNumbering()
    {
        var first = Open();
        var stored = (await first.AppendAsync(Records(0, 120))).Accepted;
        (first as IDisposable)?.Dispose();

        var reopened = Open();

        Assert.Equal(120, await reopened.CountAsync());
        var read = await ReadAll(reopened, FeedbackWatermark.Start);
        Assert.Equal(stored.Select(r => (r.Id, r.Sequence)), read.Select(r => (r.Id, r.Sequence)));
        AssertSameFeedback(Records(77, 1)[0], read[77]);
        var again = await reopened.AppendAsync(Records(100, 40));
        Assert.Equal((20, 20), (again.Accepted.Count, again.Duplicates));
        Assert.True(again.Accepted[0].Sequence > stored[^1].Sequence);
        Assert.Equal(140, await reopened.CountAsync());
    }

    [Fact]
    public async Task ConcurrentAppenders_WithOverlappingIds_StoreEachRecordOnceUnderOneNumber()
    {
        var stores = SupportsConcurrentInstances ? new[] { Open(), Open() } : [Open()];

        // Eight writers of ten batches of ten; writer w covers ids 50w .. 50w + 99, so neighbours overlap by half.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var accepted = new List<FeedbackRecord<Row>>();
            var duplicates = 0;
            for (var b = 0; b < 10; b++)
            {
                var result = await stores[w % stores.Length].AppendAsync(Records((50 * w) + (10 * b), 10));
                accepted.AddRange(result.Accepted);
                duplicates += result.Duplicates;
            }

            return (accepted, duplicates);
        })));

        var accepted = results.SelectMany(r => r.accepted).ToList();
        Assert.Equal(450, accepted.Count);
        Assert.Equal(800 - 450, results.Sum(r => r.duplicates));
        Assert.Equal(450, accepted.Select(r => r.Sequence).Distinct().Count());
        var read = await ReadAll(Open(), FeedbackWatermark.Start);
        AssertIncreasing(read.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 450).Select(Id).Order(StringComparer.Ordinal), read.Select(r => r.Id).Order(StringComparer.Ordinal));
        var numbered = accepted.ToDictionary(r => r.Id, r => r.Sequence);
        Assert.All(read, r => Assert.Equal(numbered[r.Id], r.Sequence));
        Assert.Equal(450, await stores[0].CountAsync());
    }

    [Fact]
    public async Task ReaderResumingWhileAppendsRun_MissesNoRecordAndSeesNoneTwice()
    {
        var stores = SupportsConcurrentInstances ? new[] { Open(), Open() } : [Open()];
        var reader = stores[^1];
        using var done = new CancellationTokenSource();
        var appenders = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < 25; b++)
            {
                await stores[w % stores.Length].AppendAsync(Records((w * 500) + (b * 20), 20));
            }
        })).ToArray();
        var all = Task.WhenAll(appenders);

        var seen = new List<FeedbackRecord<Row>>();
        var watermark = FeedbackWatermark.Start;
        while (true)
        {
            var finished = all.IsCompleted;
            await foreach (var record in reader.ReadAsync(watermark))
            {
                seen.Add(record);
                watermark = new FeedbackWatermark(record.Sequence);
            }

            if (finished)
            {
                break;
            }

            await Task.Delay(1);
        }

        await all;
        AssertIncreasing(seen.Select(r => r.Sequence));
        Assert.Equal(1000, seen.Count);
        Assert.Equal(1000, seen.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task CancelledToken_AppendThrowsAndStoresNothing_ReadAndCountThrow()
    {
        var sut = Open();
        await sut.AppendAsync(Records(0, 5));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.AppendAsync(Records(5, 10), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in sut.ReadAsync(FeedbackWatermark.Start, cancelled.Token))
            {
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.CountAsync(cancelled.Token));

        Assert.Equal(5, await sut.CountAsync());
        Assert.Equal(5, (await sut.AppendAsync(Records(5, 5))).Accepted.Count);
    }

    [Fact]
    public async Task AppendAsync_BadInput_ThrowsArgumentExceptionsAndStoresNothing()
    {
        var sut = Open();
        var withNull = new FeedbackRecord<Row>?[] { Records(0, 1)[0], null };

        await Assert.ThrowsAsync<ArgumentNullException>(() => sut.AppendAsync(null!));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sut.AppendAsync(withNull!));
        var empty = await sut.AppendAsync([]);

        Assert.Contains("1", ex.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (empty.Accepted.Count, empty.Duplicates));
        Assert.Equal(0, await sut.CountAsync());
        Assert.Empty(await ReadAll(sut, FeedbackWatermark.Start));
    }

    [Fact]
    public async Task Disposed_AppendThrowsObjectDisposed()
    {
        var sut = Open();
        if (sut is not IDisposable disposable)
        {
            return;
        }

        await sut.AppendAsync(Records(0, 3));
        disposable.Dispose();
        disposable.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.AppendAsync(Records(3, 3)));
    }

    /// <summary>Opens an instance that is disposed with the test.</summary>
    protected IFeedbackStore<Row> Open()
    {
        var store = CreateStore();
        _opened.Add(store);
        return store;
    }

    /// <summary>Records <paramref name="count"/> coupon rows from row <paramref name="from"/> on, with every optional field exercised.</summary>
    protected static FeedbackRecord<Row>[] Records(int from, int count)
    {
        var rows = CouponRows.Value;
        var start = new DateTimeOffset(2026, 11, 2, 8, 30, 0, TimeSpan.FromHours(2));
        return Enumerable.Range(from, count).Select(i =>
        {
            var row = rows[i % rows.Length];
            return new FeedbackRecord<Row>(Id(i), 10_000 + i, row, row["Y"] == "1" ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, start.AddMilliseconds(1_234L * i))
            {
                // Whole milliseconds and simple values: every store keeps them exactly (PostgreSQL timestamps keep microseconds).
                Weight = 1 + (i % 3 * 0.5f),
                Relevance = i % 4 == 0 ? i % 5 : null,
                UserId = i % 2 == 0 ? "user-" + (i % 17).ToString(CultureInfo.InvariantCulture) : null,
                GroupId = i % 3 == 0 ? "impression-" + (i / 3).ToString(CultureInfo.InvariantCulture) : null,
            };
        }).ToArray();
    }

    protected static string Id(int i) => "coupon-" + i.ToString("D5", CultureInfo.InvariantCulture);

    protected static async Task<List<FeedbackRecord<Row>>> ReadAll(IFeedbackSource<Row> source, FeedbackWatermark after)
    {
        var list = new List<FeedbackRecord<Row>>();
        await foreach (var record in source.ReadAsync(after))
        {
            list.Add(record);
        }

        return list;
    }

    protected static void AssertSameFeedback(FeedbackRecord<Row> expected, FeedbackRecord<Row> actual)
    {
        Assert.Equal(
            (expected.Id, expected.Outcome, expected.Timestamp, expected.Weight, expected.Relevance, expected.UserId, expected.GroupId),
            (actual.Id, actual.Outcome, actual.Timestamp, actual.Weight, actual.Relevance, actual.UserId, actual.GroupId));
        Assert.Equal(expected.Pattern.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Pattern.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static void AssertIncreasing(IEnumerable<long> sequences)
    {
        long previous = long.MinValue;
        foreach (var s in sequences)
        {
            Assert.True(s > previous, $"Sequence {s} does not come after {previous}.");
            previous = s;
        }
    }

    private static Row[] LoadCouponRows()
    {
        // The coupon file has no quoted fields; an empty cell is a missing value (null), as pq serve reads it.
        var lines = File.ReadLines(SharedData.Coupon).Take(1_001).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var c = 0; c < header.Length; c++)
            {
                row[header[c]] = cells[c].Length == 0 ? null : cells[c];
            }

            return (Row)row;
        }).ToArray();
    }
}
