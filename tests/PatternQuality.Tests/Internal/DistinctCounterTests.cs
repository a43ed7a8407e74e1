using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Internal;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Internal;

/// <summary>Distinct counts of number columns: exact for columns of few values, a bounded estimate for a million.</summary>
public class DistinctCounterTests
{
    [Fact]
    public void Count_UpToTheLimit_IsExactAndZeroIsOneValue()
    {
        var counter = new DistinctCounter();
        counter.Add(0.0);
        counter.Add(-0.0);
        for (var i = 0; i < 3; i++)
        {
            for (var v = 1; v < DistinctCounter.ExactLimit; v++)
            {
                counter.Add(v * 0.25);
            }
        }

        Assert.True(counter.IsExact);
        Assert.Equal(DistinctCounter.ExactLimit, counter.Count);
    }

    [Theory]
    [InlineData(200_000)]
    [InlineData(1_000_000)]
    [InlineData(3_000_000)]
    public void Count_PastTheLimit_EstimatesWithinOnePercent(int distinct)
    {
        var counter = new DistinctCounter();
        for (var i = 0; i < distinct; i++)
        {
            // Float-like measurements, each seen twice.
            var v = (float)((i * 0.001) - 17.3);
            counter.Add(v);
            counter.Add(v);
        }

        var exact = new HashSet<float>();
        for (var i = 0; i < distinct; i++)
        {
            exact.Add((float)((i * 0.001) - 17.3));
        }

        Assert.False(counter.IsExact);
        Assert.InRange(counter.Count, exact.Count * 0.99, exact.Count * 1.01);
    }

    [Fact]
    public void Count_SameValuesInAnotherOrder_SameCount()
    {
        var values = Enumerable.Range(0, 300_000).Select(i => Math.Sqrt(i)).ToArray();
        var forward = new DistinctCounter();
        foreach (var v in values)
        {
            forward.Add(v);
        }

        var backward = new DistinctCounter();
        for (var i = values.Length - 1; i >= 0; i--)
        {
            backward.Add(values[i]);
        }

        Assert.Equal(forward.Count, backward.Count);
    }

    [Fact]
    public void Count_NeverBelowTheLimitOnceExceeded_NorAboveTheValuesAdded()
    {
        var counter = new DistinctCounter();
        for (var i = 0; i <= DistinctCounter.ExactLimit; i++)
        {
            counter.Add(i);
        }

        Assert.False(counter.IsExact);
        Assert.Equal(DistinctCounter.ExactLimit + 1, counter.Count);
    }

    [Fact]
    public void Clear_AfterASketchedColumn_CountsTheNextColumnExactly()
    {
        var counter = new DistinctCounter();
        for (var i = 0; i < 200_000; i++)
        {
            counter.Add(i);
        }

        Assert.False(counter.IsExact);
        counter.Clear();
        counter.Add(1);
        counter.Add(2);
        counter.Add(1);
        Assert.True(counter.IsExact);
        Assert.Equal(2, counter.Count);
        for (var i = 0; i < 200_000; i++)
        {
            counter.Add(i * 3.0);
        }

        Assert.InRange(counter.Count, 198_000, 202_000);
    }

    [Fact]
    public void Inspect_LargeNumberColumn_CountsDistinctWithinOnePercent()
    {
        // 150,000 rows: a measurement column (every value distinct) and a 0/1 label counted exactly.
        var sb = new System.Text.StringBuilder("x,label\n");
        for (var i = 0; i < 150_000; i++)
        {
            sb.Append((i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(i % 2).Append('\n');
        }

        using var f = new TempFile(sb.ToString());
        var inspection = CsvDatasetLoader.Inspect(f.Path, new CsvLoadOptions { LabelColumn = "label" });
        Assert.InRange(inspection.Columns[0].Distinct, 148_500, 151_500);
        Assert.Equal(2, inspection.Columns[1].Distinct);
        var dataset = CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "label" }).Dataset;
        Assert.Equal(inspection.Columns[0].Distinct, DatasetInspector.Inspect(dataset).Columns[0].Distinct);
    }
}
