using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Trees.Internal;

public class BinnedDatasetTests
{
    private static readonly ParallelOptions OneThread = new() { MaxDegreeOfParallelism = 1 };

    [Fact]
    public void Build_MissingNumericAndCategoricalValues_LandInTheDocumentedBins()
    {
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric), new FeatureDefinition("c", FeatureKind.Categorical, ["a", "b", "c"])]);
        float[] x = [1f, 0f, float.NaN, 2f, 5f, float.NaN, 3f, 7f];
        var data = BinnedDataset.Build(new Dataset(schema, x, [0, 1, 0, 1]), maxBins: 255, seed: 1, OneThread, CancellationToken.None);

        Assert.Equal((4, 2), (data.RowCount, data.FeatureCount));
        Assert.False(data.Features[0].IsCategorical);
        Assert.True(data.Features[1].IsCategorical);

        // Column-major: feature 0's four rows, then feature 1's. Missing = bin 0, category c = bin c + 1.
        // Rows: (1, a), (NaN, c), (5, NaN), (3, 7); category 7 is outside the schema and shares the missing bin.
        Assert.Equal(0, data.Bins[1]);
        Assert.True(data.Bins[0] < data.Bins[3] && data.Bins[3] < data.Bins[2]);
        Assert.Equal<byte>([1, 3, 0, 0], data.Bins.AsSpan(4, 4).ToArray());
        Assert.Equal([0, data.Features[0].BinCount, data.Features[0].BinCount + data.Features[1].BinCount], data.HistogramOffsets);
        Assert.Equal(data.HistogramOffsets[^1], data.TotalBinCount);
    }

    [Fact]
    public void Build_NumericBins_SendEveryValueAtOrBelowItsUpperBoundLeft()
    {
        // The scoring contract: bin <= b exactly when value <= UpperBound(b), on the raw values of the real data.
        var train = TestData.BinaryTrain;
        var data = BinnedDataset.Build(train, maxBins: 255, seed: 1, OneThread, CancellationToken.None);
        var f = train.Schema.Count;
        var features = train.Features.Span;
        for (var j = 0; j < f; j += 7)
        {
            var bins = data.Features[j];
            Assert.True(bins.BinCount <= 256);
            for (var r = 0; r < train.RowCount; r += 13)
            {
                var v = features[(r * f) + j];
                int b = data.Bins[(j * train.RowCount) + r];
                Assert.Equal(bins.BinOf(v), b);
                if (b > 1)
                {
                    Assert.True(v > bins.UpperBound(b - 1));
                }

                if (b < bins.BinCount - 1)
                {
                    Assert.True(v <= bins.UpperBound(b));
                }
            }
        }
    }

    [Fact]
    public void FromBins_WrongLength_Throws()
    {
        var fb = FeatureBins.FromParts(false, [1f], 3);
        var ex = Assert.Throws<ArgumentException>(() => BinnedDataset.FromBins(3, [fb, fb], new byte[5]));
        Assert.Contains("3 rows of 2 features", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var parallel = new ParallelOptions { CancellationToken = cts.Token };
        Assert.ThrowsAny<OperationCanceledException>(() => BinnedDataset.Build(TestData.BinaryTest, 255, 1, parallel, cts.Token));
    }
}
