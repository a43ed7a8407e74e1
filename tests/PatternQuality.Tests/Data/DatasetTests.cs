using PatternQuality.Data;

namespace PatternQuality.Tests.Data;

public class DatasetTests
{
    private static readonly FeatureSchema _schema = new([new FeatureDefinition("x", FeatureKind.Numeric)]);

    [Fact]
    public void WeightsAndTimestamps_NotGiven_AreNull()
    {
        var sut = new Dataset(_schema, [1f, 2f], [0f, 1f]);

        Assert.Null(sut.Weights);
        Assert.Null(sut.Timestamps);
        Assert.True(sut.WeightSpan.IsEmpty);
    }

    [Fact]
    public void WeightsAndTimestamps_Given_AreReturned()
    {
        var sut = new Dataset(_schema, [1f, 2f], [0f, 1f], weights: [0.5f, 2f], timestamps: [10, 20]);

        Assert.Equal([0.5f, 2f], sut.Weights!.Value.ToArray());
        Assert.Equal([10L, 20L], sut.Timestamps!.Value.ToArray());
        Assert.Equal([0.5f, 2f], sut.WeightSpan.ToArray());
    }
}
