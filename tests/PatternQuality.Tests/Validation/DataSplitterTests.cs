using PatternQuality.Tests.Validation.Fakes;
using PatternQuality.Validation;

namespace PatternQuality.Tests.Validation;

public class DataSplitterTests
{
    [Fact]
    public void StratifiedHoldout_Always_KeepsTheLabelMixInBothParts()
    {
        var data = SyntheticData.Create(1000, seed: 2);

        var split = DataSplitter.StratifiedHoldout(data, 0.2, seed: 3);

        Assert.Equal(1000, split.Train.RowCount + split.Test.RowCount);
        Assert.InRange(split.Test.RowCount, 199, 201);
        var rate = data.Labels.ToArray().Average();
        var testRate = split.Test.Labels.ToArray().Average();
        Assert.InRange(testRate, rate - 0.01, rate + 0.01);
        Assert.Empty(split.TrainRows.Intersect(split.TestRows));
        Assert.Null(split.CutoffTimestamp);
    }

    [Fact]
    public void TemporalHoldout_WithTimestamps_TrainsStrictlyBeforeTheCutoff()
    {
        var data = SyntheticData.Create(500, seed: 4, withTimestamps: true);

        var split = DataSplitter.TemporalHoldout(data, 0.25);

        Assert.NotNull(split.CutoffTimestamp);
        Assert.All(split.Train.Timestamps!.Value.ToArray(), t => Assert.True(t < split.CutoffTimestamp));
        Assert.All(split.Test.Timestamps!.Value.ToArray(), t => Assert.True(t >= split.CutoffTimestamp));
        Assert.InRange(split.Test.RowCount, 125, 140);
    }

    [Fact]
    public void TemporalHoldout_WithoutTimestamps_TestsOnTheLastRows()
    {
        var data = SyntheticData.Create(10, seed: 5);

        var split = DataSplitter.TemporalHoldout(data, 0.3);

        Assert.Equal([7, 8, 9], split.TestRows);
    }

    [Fact]
    public void TemporalHoldout_AllTimestampsEqual_Throws()
    {
        var d = SyntheticData.Create(10, seed: 6);
        var same = new PatternQuality.Data.Dataset(d.Schema, d.Features.ToArray(), d.Labels.ToArray(), timestamps: new long[10]);

        Assert.Throws<ArgumentException>(() => DataSplitter.TemporalHoldout(same, 0.3));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void StratifiedHoldout_FractionOutOfRange_ThrowsNamingIt(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplitter.StratifiedHoldout(SyntheticData.Create(10, 1), fraction));
        Assert.Equal("testFraction", ex.ParamName);
    }
}
