using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

/// <summary>What every <see cref="IDriftDetector"/> must do on a loss stream; each detector's test class inherits it.</summary>
public abstract class DriftDetectorContractTests
{
    /// <summary>The most values after a jump in mean loss (0.50 to 0.92) before the alarm.</summary>
    private protected const int MaxDelay = 400;

    private protected abstract IDriftDetector CreateDetector();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Add_LongStationaryStream_RaisesNoAlarm(int seed)
    {
        var sut = CreateDetector();

        var alarm = LossStreams.FirstAlarm(sut, LossStreams.LogLoss(new Random(seed), 0.2, 50_000));

        Assert.Equal(-1, alarm);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Add_LossJumps_DetectsWithinBoundedDelay(int seed)
    {
        var sut = CreateDetector();
        var random = new Random(seed);
        var stream = LossStreams.LogLoss(random, 0.2, 5000).Concat(LossStreams.LogLoss(random, 0.5, 5000));

        var alarm = LossStreams.FirstAlarm(sut, stream);

        // Mean loss 0.50 -> 0.92 at value 5000.
        Assert.InRange(alarm, 5000, 5000 + MaxDelay);
    }

    [Fact]
    public void Add_LossFalls_RaisesNoAlarm()
    {
        var sut = CreateDetector();
        var random = new Random(4);
        var stream = LossStreams.LogLoss(random, 0.5, 5000).Concat(LossStreams.LogLoss(random, 0.2, 5000));

        Assert.Equal(-1, LossStreams.FirstAlarm(sut, stream));
    }

    [Fact]
    public void Add_AfterAlarm_DriftDetectedClearsOnNextValue()
    {
        var sut = CreateDetector();
        var random = new Random(5);
        LossStreams.FirstAlarm(sut, LossStreams.LogLoss(random, 0.2, 3000).Concat(LossStreams.LogLoss(random, 0.6, 3000)));
        Assert.True(sut.DriftDetected);

        sut.Add(0.2);

        Assert.False(sut.DriftDetected);
    }

    [Fact]
    public void Reset_AfterValues_ClearsCountAndAlarm()
    {
        var sut = CreateDetector();
        foreach (var v in LossStreams.LogLoss(new Random(6), 0.2, 100))
        {
            sut.Add(v);
        }

        sut.Reset();

        Assert.Equal(0, sut.Count);
        Assert.False(sut.DriftDetected);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Add_NotFinite_Throws(double value)
    {
        var sut = CreateDetector();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sut.Add(value));

        Assert.Equal("value", ex.ParamName);
    }
}
