using PatternQuality.Data;

namespace PatternQuality.Tests.Data;

public class DatasetInspectorTests
{
    [Fact]
    public void Inspect_CountsMissingDistinctLabelsAndTimes()
    {
        var schema = new FeatureSchema([new FeatureDefinition("a", FeatureKind.Numeric)]);
        var d = new Dataset(schema, [1f, float.NaN, 1f], [1f, 0f, 1f], timestamps: [3000, 1000, 2000]);

        var sut = DatasetInspector.Inspect(d);

        Assert.Equal(new ColumnInspection("a", "numeric", 1, 1), sut.Columns[0]);
        Assert.Equal(2, sut.Positive);
        Assert.Equal(1, sut.Negative);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), sut.TimeMin);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(3000), sut.TimeMax);
    }
}
