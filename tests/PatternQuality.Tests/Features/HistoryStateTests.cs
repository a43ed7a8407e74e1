using PatternQuality.Features;

namespace PatternQuality.Tests.Features;

public class HistoryStateTests
{
    private static HistoryState CreateSut()
    {
        var sut = new HistoryState();
        sut.Observe("user", "alice", 1);
        sut.Observe("user", "alice", 0, weight: 3);
        sut.Observe("user", "bob", 1);
        sut.Observe("type", "t1", 1);
        return sut;
    }

    [Fact]
    public void Observe_AccumulatesWeightedCounts()
    {
        var sut = CreateSut();
        Assert.True(sut.TryGetCounts("user", "alice", out var approved, out var count));
        Assert.Equal(1, approved);
        Assert.Equal(4, count);
        sut.GetGlobalCounts("user", out var ga, out var gc);
        Assert.Equal(2, ga);
        Assert.Equal(5, gc);
        Assert.False(sut.TryGetCounts("user", "carol", out _, out _));
        Assert.Equal(["type", "user"], sut.Features);
    }

    [Fact]
    public void GetRate_NoFeedbackYet_IsHalf()
    {
        new HistoryState().GetRate("user", "x", 5, out var rate, out var count);
        Assert.Equal(0.5, rate);
        Assert.Equal(0, count);
    }

    [Fact]
    public void WriteTo_ReadFrom_RoundTrips()
    {
        var sut = CreateSut();
        using var ms = new MemoryStream();
        sut.WriteTo(ms);
        ms.Position = 0;
        var copy = HistoryState.ReadFrom(ms);

        copy.GetRate("user", "alice", 5, out var r1, out var c1);
        sut.GetRate("user", "alice", 5, out var r2, out var c2);
        Assert.Equal(r2, r1);
        Assert.Equal(c2, c1);
        Assert.True(copy.TryGetCounts("type", "t1", out _, out _));
    }

    [Fact]
    public void WriteTo_SameState_IsDeterministic()
    {
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        CreateSut().WriteTo(a);
        CreateSut().WriteTo(b);
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void ReadFrom_ForeignBytes_ThrowsClearError()
    {
        using var ms = new MemoryStream("not a state"u8.ToArray());
        var ex = Assert.Throws<PatternQualityException>(() => HistoryState.ReadFrom(ms));
        Assert.Contains("signature", ex.Message);
    }

    [Fact]
    public void ReadFrom_Truncated_ThrowsClearError()
    {
        using var full = new MemoryStream();
        CreateSut().WriteTo(full);
        using var cut = new MemoryStream(full.ToArray()[..20]);
        Assert.Throws<PatternQualityException>(() => HistoryState.ReadFrom(cut));
    }

    [Fact]
    public void ReadFrom_NewerVersion_ThrowsNamingVersion()
    {
        using var ms = new MemoryStream();
        ms.Write("PQHS"u8);
        ms.Write(BitConverter.GetBytes(99));
        ms.Position = 0;
        var ex = Assert.Throws<PatternQualityException>(() => HistoryState.ReadFrom(ms));
        Assert.Contains("99", ex.Message);
    }

    [Fact]
    public void Observe_LabelOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HistoryState().Observe("user", "a", 2));
    }

    [Fact]
    public void Clone_IsIndependent()
    {
        var sut = CreateSut();
        var copy = sut.Clone();
        copy.Observe("user", "alice", 1);
        sut.TryGetCounts("user", "alice", out _, out var count);
        Assert.Equal(4, count);
    }

    [Fact]
    public void Observe_ConcurrentWithReads_CountsEverything()
    {
        var sut = new HistoryState();
        Parallel.For(0, 2000, i =>
        {
            sut.Observe("user", "k" + (i % 10), i % 2);
            sut.GetRate("user", "k" + (i % 7), 5, out _, out _);
        });
        sut.GetGlobalCounts("user", out _, out var total);
        Assert.Equal(2000, total);
    }
}
