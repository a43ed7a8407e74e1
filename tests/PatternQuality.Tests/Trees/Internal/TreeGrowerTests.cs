using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Trees.Internal;

/// <summary>The leaf-wise grower on hand-built binned data, and its parts: row partition and histogram pool.</summary>
public class TreeGrowerTests
{
    private static readonly ParallelOptions OneThread = new() { MaxDegreeOfParallelism = 1 };

    [Fact]
    public void Grow_TwoLeaves_SplitsAtTheRawThresholdWithNewtonLeafValues()
    {
        // One numeric feature, bins 1..3 with upper bounds 10 and 20; rows in bin 1 have gradient -1, the rest +1.
        var data = BinnedDataset.FromBins(6, [FeatureBins.FromParts(false, [10f, 20f], 4)], [1, 1, 2, 2, 3, 3]);
        float[] grad = [-1, -1, 1, 1, 1, 1];
        float[] hess = [1, 1, 1, 1, 1, 1];
        var grower = new TreeGrower(data, new GrowerSettings { MaxLeaves = 2, MinLeafCount = 1, L2 = 1 }, OneThread);

        var tree = grower.Grow(grad, hess, [0, 1, 2, 3, 4, 5], null, null);

        var root = Assert.Single(tree.Nodes);
        Assert.Equal(10f, root.Threshold);
        Assert.Equal((~0, ~1), (root.Left, root.Right));
        Assert.Equal([2.0 / 3, -4.0 / 5], tree.LeafValues);
        Assert.Equal([2, 4], tree.LeafCounts);
        Assert.Equal([2.0, 4.0], tree.LeafWeights);
        Assert.Equal(0, tree.GetLeaf([5f]));
        Assert.Equal(1, tree.GetLeaf([15f]));
    }

    [Fact]
    public void Grow_MoreLeaves_SplitsBestFirstAndLinksChildrenToParents()
    {
        // Three gradient levels: the biggest gain separates bin 1, the next separates bins 2 and 3.
        var data = BinnedDataset.FromBins(9, [FeatureBins.FromParts(false, [1f, 2f], 4)], [1, 1, 1, 2, 2, 2, 3, 3, 3]);
        float[] grad = [-4, -4, -4, 0, 0, 0, 2, 2, 2];
        var tree = new TreeGrower(data, new GrowerSettings { MaxLeaves = 8, MinLeafCount = 1 }, OneThread)
            .Grow(grad, Ones(9), Enumerable.Range(0, 9).ToArray(), null, null);

        Assert.Equal(3, tree.LeafCount);
        Assert.Equal(2, tree.Nodes.Length);
        Assert.Equal(1f, tree.Nodes[0].Threshold);
        Assert.Equal(1, tree.Nodes[0].Right);
        Assert.Equal(2f, tree.Nodes[1].Threshold);
        Assert.Equal(tree.SplitGains[0], tree.SplitGains.Max());
        Assert.Equal([4.0, 0.0, -2.0], [tree.Predict([0.5f]), tree.Predict([1.5f]), tree.Predict([3f])]);
    }

    [Fact]
    public void Grow_MaxDepthAndSubsetOfRows_AreRespected()
    {
        var data = BinnedDataset.FromBins(8, [FeatureBins.FromParts(false, [1f, 2f, 3f], 5)], [1, 1, 2, 2, 3, 3, 4, 4]);
        float[] grad = [-3, -3, -1, -1, 1, 1, 3, 3];
        var depthOne = new TreeGrower(data, new GrowerSettings { MaxLeaves = 8, MaxDepth = 1, MinLeafCount = 1 }, OneThread)
            .Grow(grad, Ones(8), Enumerable.Range(0, 8).ToArray(), null, null);
        Assert.Equal(2, depthOne.LeafCount);

        // Growing on rows 4..7 only: their sums decide the leaves; rows outside never count.
        var subset = new TreeGrower(data, new GrowerSettings { MaxLeaves = 2, MinLeafCount = 1 }, OneThread)
            .Grow(grad, Ones(8), [4, 5, 6, 7], null, null);
        Assert.Equal(3f, subset.Nodes[0].Threshold);
        Assert.Equal([2, 2], subset.LeafCounts);
    }

    [Fact]
    public void Grow_CategoricalFeature_StoresTheLeftCategoriesAsABitset()
    {
        // Categories 0..5 in bins 1..6; categories 1 and 4 have positive gradients.
        var bins = new byte[60];
        var grad = new float[60];
        for (var r = 0; r < 60; r++)
        {
            var c = r % 6;
            bins[r] = (byte)(c + 1);
            grad[r] = c is 1 or 4 ? 2 : -1;
        }

        var data = BinnedDataset.FromBins(60, [FeatureBins.Categorical(6, 255)], bins);
        var settings = new GrowerSettings { MaxLeaves = 2, MinLeafCount = 1, MaxOneHotCategories = 2, MinCountPerCategory = 1, CategoricalL2 = 0, CategoricalSmoothing = 0 };
        var tree = new TreeGrower(data, settings, OneThread).Grow(grad, Ones(60), Enumerable.Range(0, 60).ToArray(), null, null);

        var node = Assert.Single(tree.Nodes);
        Assert.True(node.IsCategorical);
        Assert.Equal((1u << 1) | (1u << 4), tree.CategoryBits[node.CategoryStart]);
        Assert.Equal(0, tree.GetLeaf([4f]));
        Assert.Equal(1, tree.GetLeaf([0f]));
        Assert.Equal(1, tree.GetLeaf([float.NaN]));
        Assert.Equal(1, tree.GetLeaf([99f]));
    }

    [Fact]
    public void Grow_AllowedFeatures_LimitsTheSplitsToThem()
    {
        var f = FeatureBins.FromParts(false, [1f], 3);
        var data = BinnedDataset.FromBins(4, [f, f], [1, 1, 2, 2, 1, 2, 1, 2]);
        float[] grad = [-1, -1, 1, 1];
        var grower = new TreeGrower(data, new GrowerSettings { MaxLeaves = 4, MinLeafCount = 1 }, OneThread);
        Assert.Equal(0, grower.Grow(grad, Ones(4), [0, 1, 2, 3], null, null).Nodes[0].Feature);

        // Feature 1 does not separate the gradients at all: no split.
        Assert.Empty(grower.Grow(grad, Ones(4), [0, 1, 2, 3], [false, true], null).Nodes);
    }

    [Fact]
    public void Grow_PerSplitSampling_NeedsAGeneratorAndIsReproducible()
    {
        var data = Random(rows: 400, features: 6, seed: 3, out var grad);
        var settings = new GrowerSettings { MaxLeaves = 8, MinLeafCount = 5 };
        var grower = new TreeGrower(data, settings, OneThread, new PerSplitSamplingSearch(2));
        var rows = Enumerable.Range(0, 400).ToArray();

        Assert.Throws<ArgumentNullException>(() => grower.Grow(grad, Ones(400), rows, null, null));
        var a = grower.Grow(grad, Ones(400), rows, null, new Random(9));
        var b = grower.Grow(grad, Ones(400), rows, null, new Random(9));
        Assert.Equal(a.Nodes, b.Nodes);
        Assert.Equal(a.LeafValues, b.LeafValues);
    }

    [Fact]
    public void Grow_TinyHistogramPool_GivesTheSameTreeAsSubtraction()
    {
        // Many leaves over few rows force evictions from a 3-buffer pool; evicted leaves' children are rebuilt from
        // rows, which must give the same sums (up to rounding) and so the same splits.
        var data = Random(rows: 2000, features: 4, seed: 5, out var grad);
        var rows = Enumerable.Range(0, 2000).ToArray();
        var tree = new TreeGrower(data, new GrowerSettings { MaxLeaves = 64, MinLeafCount = 5 }, OneThread).Grow(grad, Ones(2000), rows, null, null);
        var evicting = new TreeGrower(data, new GrowerSettings { MaxLeaves = 64, MinLeafCount = 5, HistogramPoolBytes = 1 }, OneThread).Grow(grad, Ones(2000), rows, null, null);

        Assert.Equal(64, tree.LeafCount);
        Assert.Equal(tree.Nodes, evicting.Nodes);
        Assert.Equal(tree.LeafCounts, evicting.LeafCounts);
        Assert.Equal(tree.LeafValues, evicting.LeafValues, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void HistogramPool_WhenFull_EvictsTheLeafWithTheSmallestPendingGain()
    {
        var pool = new HistogramPool(totalBinCount: 4, maxLeaves: 4, poolBytes: 1);
        var pending = new SplitInfo?[] { new() { Gain = 5 }, new() { Gain = 1 }, new() { Gain = 3 }, null };
        for (var l = 0; l < 3; l++)
        {
            pool.Assign(l, pool.Take(-1, pending));
        }

        var taken = pool.Take(exceptLeaf: -1, pending);
        Assert.Null(pool.Get(1));
        Assert.Equal(12, taken.Length);
        var again = pool.Take(exceptLeaf: 2, pending);
        Assert.Null(pool.Get(0));
        Assert.NotNull(pool.Get(2));

        pool.Assign(3, again);
        pool.Release(3);
        Assert.Same(again, pool.Take(-1, pending));
        pool.ForgetLeaves();
        Assert.Throws<InvalidOperationException>(() => pool.Take(-1, pending));
    }

    [Fact]
    public void LeafPartition_Split_IsStableOnBothSides()
    {
        var partition = new LeafPartition(rowCount: 8, maxLeaves: 3);
        partition.Reset([0, 2, 3, 5, 6, 7]);
        byte[] column = [0, 1, 2, 1, 2, 1, 2, 1];
        var left = partition.Split(0, 1, column, [false, true, false]);

        Assert.Equal(3, left);
        Assert.Equal([3, 5, 7], partition.Rows(0).ToArray());
        Assert.Equal([0, 2, 6], partition.Rows(1).ToArray());
        Assert.Equal(3, partition.Begin(1));
        Assert.Throws<ArgumentException>(() => partition.Reset(new int[9]));
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static BinnedDataset Random(int rows, int features, int seed, out float[] grad)
    {
        var random = new Random(seed);
        var bins = new byte[rows * features];
        grad = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < features; j++)
            {
                bins[(j * rows) + r] = (byte)random.Next(1, 17);
            }

            grad[r] = (float)((bins[r] / 8.0) - 1 + (random.NextDouble() * 0.5));
        }

        var fb = FeatureBins.FromParts(false, Enumerable.Range(1, 15).Select(i => (float)i).ToArray(), 17);
        return BinnedDataset.FromBins(rows, Enumerable.Repeat(fb, features).ToArray(), bins);
    }
}
