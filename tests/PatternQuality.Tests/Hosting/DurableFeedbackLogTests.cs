using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Tests.Online;
using PatternQuality.Tests.Storage;

namespace PatternQuality.Tests.Hosting;

public sealed class DurableFeedbackLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_ThenReopen_ReadsEveryRecordBackOnceWithItsSequence()
    {
        var path = _dir.Combine("feedback.log");
        var records = OfferStream.Generate(50, seed: 1, firstSequence: 900);
        using (var log = new DurableFeedbackLog<Offer>(path))
        {
            var first = await log.AppendAsync(records.Take(30).ToArray());
            var second = await log.AppendAsync(records.Skip(20).ToArray());
            Assert.Equal(30, first.Accepted.Count);
            Assert.Equal(20, second.Accepted.Count);
            Assert.Equal(10, second.Duplicates);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), first.Accepted.Select(r => r.Sequence));
        }

        using var reopened = new DurableFeedbackLog<Offer>(path);
        Assert.Equal(50, reopened.Count);
        Assert.Equal(new FeedbackWatermark(50), reopened.LastWatermark);
        var read = await ReadAll(reopened, new FeedbackWatermark(40));
        Assert.Equal(10, read.Count);
        Assert.Equal(records[40] with { Sequence = 41 }, read[0]);
        Assert.Empty((await reopened.AppendAsync(records.Take(5).ToArray())).Accepted);
    }

    [Fact]
    public async Task Open_TornLastRecord_IsCutOffAndTheRestReads()
    {
        var path = _dir.Combine("feedback.log");
        using (var log = new DurableFeedbackLog<Offer>(path))
        {
            await log.AppendAsync(OfferStream.Generate(10, seed: 2));
        }

        var full = new FileInfo(path).Length;
        using (var file = new FileStream(path, FileMode.Open))
        {
            // A crash mid-append: half a frame (never acknowledged) at the end.
            file.SetLength(full - 7);
        }

        using var reopened = new DurableFeedbackLog<Offer>(path);
        Assert.Equal(9, reopened.Count);
        Assert.Equal(9, (await ReadAll(reopened, FeedbackWatermark.Start)).Count);
        var next = await reopened.AppendAsync(OfferStream.Generate(1, seed: 3, firstSequence: 77));
        Assert.Equal(10, next.Accepted[0].Sequence);
    }

    [Fact]
    public async Task Open_DamagedRecordInTheMiddle_ThrowsNamingTheOffset()
    {
        var path = _dir.Combine("feedback.log");
        using (var log = new DurableFeedbackLog<Offer>(path))
        {
            await log.AppendAsync(OfferStream.Generate(10, seed: 4));
        }

        var bytes = File.ReadAllBytes(path);
        bytes[20] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<InvalidDataException>(() => new DurableFeedbackLog<Offer>(path));
        Assert.Contains("offset 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_SecondWriter_FailsWhileTheFirstHoldsTheLog()
    {
        var path = _dir.Combine("feedback.log");
        using var log = new DurableFeedbackLog<Offer>(path);
        await log.AppendAsync(OfferStream.Generate(3, seed: 5));

        Assert.ThrowsAny<IOException>(() => new DurableFeedbackLog<Offer>(path));
    }

    private static async Task<List<FeedbackRecord<Offer>>> ReadAll(IFeedbackSource<Offer> source, FeedbackWatermark after)
    {
        var list = new List<FeedbackRecord<Offer>>();
        await foreach (var r in source.ReadAsync(after))
        {
            list.Add(r);
        }

        return list;
    }
}
