using Microsoft.Extensions.Options;
using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

public class AdwinDetectorTests : DriftDetectorContractTests
{
    private static AdwinDetector CreateSut(AdwinDetectorOptions? options = null) => new(options);

    private protected override IDriftDetector CreateDetector() => CreateSut();

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

        var ex = Assert.Throws<OptionsValidationException>(() => CreateSut(options));

        Assert.Single(ex.Failures);
        Assert.Contains($"The field AdwinDetectorOptions.{option} must be between", ex.Message, StringComparison.Ordinal);
    }
}
