using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

public class AdwinDetectorTests
{
    private static AdwinDetector CreateSut(AdwinDetectorOptions? options = null) => new(options);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Add_LongStationaryStream_RaisesNoAlarm(int seed)
    {
        var sut = CreateSut();

        var alarm = LossStreams.FirstAlarm(sut, LossStreams.LogLoss(new Random(seed), 0.2, 50_000));

        Assert.Equal(-1, alarm);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Add_LossJumps_DetectsWithinBoundedDelay(int seed)
    {
        var sut = CreateSut();
        var random = new Random(seed);
        var stream = LossStreams.LogLoss(random, 0.2, 5000).Concat(LossStreams.LogLoss(random, 0.5, 5000));

        var alarm = LossStreams.FirstAlarm(sut, stream);

        // Mean loss 0.50 -> 0.92 at value 5000.
        Assert.InRange(alarm, 5000, 5000 + MaxDelay);
    }

    [Fact]
    public void Add_LossFalls_RaisesNoAlarm()
    {
        var sut = CreateSut();
        var random = new Random(4);
        var stream = LossStreams.LogLoss(random, 0.5, 5000).Concat(LossStreams.LogLoss(random, 0.2, 5000));

        Assert.Equal(-1, LossStreams.FirstAlarm(sut, stream));
    }

    [Fact]
    public void Add_AfterAlarm_DriftDetectedClearsOnNextValue()
    {
        var sut = CreateSut();
        var random = new Random(5);
        LossStreams.FirstAlarm(sut, LossStreams.LogLoss(random, 0.2, 3000).Concat(LossStreams.LogLoss(random, 0.6, 3000)));
        Assert.True(sut.DriftDetected);

        sut.Add(0.2);

        Assert.False(sut.DriftDetected);
    }

    [Fact]
    public void Reset_AfterValues_ClearsCountAndAlarm()
    {
        var sut = CreateSut();
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
        var sut = CreateSut();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sut.Add(value));

        Assert.Equal("value", ex.ParamName);
    }

    [Fact]
    public void Add_LossFallsWithAlarmOnDecrease_RaisesAlarm()
    {
        var sut = CreateSut(new AdwinDetectorOptions { AlarmOnDecrease = true });
        var random = new Random(7);
        var stream = LossStreams.LogLoss(random, 0.5, 5000).Concat(LossStreams.LogLoss(random, 0.2, 5000));

        Assert.InRange(LossStreams.FirstAlarm(sut, stream), 5000, 5000 + MaxDelay);
    }

    [Fact]
    public void Add_StationaryValues_WindowMeanAndVarianceAreExact()
    {
        var sut = CreateSut();
        var values = LossStreams.LogLoss(new Random(8), 0.3, 3000).ToArray();

        foreach (var v in values)
        {
            sut.Add(v);
        }

        var mean = values.Average();
        Assert.Equal(values.Length, sut.Width);
        Assert.Equal(mean, sut.Mean, 9);
        Assert.Equal(values.Select(v => (v - mean) * (v - mean)).Average(), sut.Variance, 9);
    }

    [Fact]
    public void Add_AfterDrift_WindowShrinksToRecentValues()
    {
        var sut = CreateSut();
        var random = new Random(9);

        foreach (var v in LossStreams.LogLoss(random, 0.1, 5000).Concat(LossStreams.LogLoss(random, 0.6, 3000)))
        {
            sut.Add(v);
        }

        Assert.True(sut.Width < 3500, $"width {sut.Width}");
        var expected = (0.6 * -Math.Log(0.2)) + (0.4 * -Math.Log(0.8));
        Assert.InRange(sut.Mean, expected - 0.08, expected + 0.08);
    }

    [Theory]
    [InlineData(nameof(AdwinDetectorOptions.Delta))]
    [InlineData(nameof(AdwinDetectorOptions.MaximumBucketsPerSize))]
    [InlineData(nameof(AdwinDetectorOptions.CheckInterval))]
    [InlineData(nameof(AdwinDetectorOptions.MinimumSubwindowLength))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOption(string option)
    {
        var options = new AdwinDetectorOptions();
        switch (option)
        {
            case nameof(AdwinDetectorOptions.Delta): options.Delta = 0; break;
            case nameof(AdwinDetectorOptions.MaximumBucketsPerSize): options.MaximumBucketsPerSize = 1; break;
            case nameof(AdwinDetectorOptions.CheckInterval): options.CheckInterval = 0; break;
            default: options.MinimumSubwindowLength = 0; break;
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CreateSut(options));

        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message);
    }

    private const int MaxDelay = 400;
}
