using PatternQuality.Versioning.Internal;

namespace PatternQuality.Tests.Versioning.Internal;

public sealed class HoldoutMetricsTests
{
    [Fact]
    public void MidRanks_Ties_ShareTheirMeanRank()
    {
        Assert.Equal([2.5, 1, 2.5, 4], HoldoutMetrics.MidRanks([0.5f, 0.1f, 0.5f, 0.9f]));
    }
}
