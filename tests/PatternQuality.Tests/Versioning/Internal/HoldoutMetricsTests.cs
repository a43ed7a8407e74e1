using PatternQuality.Versioning.Internal;

namespace PatternQuality.Tests.Versioning.Internal;

public sealed class HoldoutMetricsTests
{
    [Fact]
    public void Brier_SmallExample_IsMeanSquaredError()
    {
        Assert.Equal((0.01 + 0.04 + 0.49) / 3, HoldoutMetrics.Brier([1, 0, 1], [0.9f, 0.2f, 0.3f]), 6);
    }

    [Fact]
    public void ExpectedCalibrationError_SmallExample_WeighsBinsByRows()
    {
        // Bin 9 holds 0.9 and 1.0 (mean 0.95, observed 0.5); bin 1 holds 0.1 (observed 0).
        var ece = HoldoutMetrics.ExpectedCalibrationError([1, 0, 0], [0.9f, 1.0f, 0.1f]);

        Assert.Equal((2.0 / 3 * 0.45) + (1.0 / 3 * 0.1), ece, 6);
    }

    [Fact]
    public void MidRanks_Ties_ShareTheirMeanRank()
    {
        Assert.Equal([2.5, 1, 2.5, 4], HoldoutMetrics.MidRanks([0.5f, 0.1f, 0.5f, 0.9f]));
    }
}
