using PatternQuality.Versioning.Internal;

namespace PatternQuality.Tests.Versioning.Internal;

public sealed class NormalDistributionTests
{
    [Theory]
    [InlineData(0.975, 1.959964)]
    [InlineData(0.5, 0)]
    [InlineData(0.05, -1.644854)]
    public void Quantile_KnownProbabilities_MatchTables(double p, double expected)
    {
        Assert.Equal(expected, NormalDistribution.Quantile(p), 5);
    }
}
