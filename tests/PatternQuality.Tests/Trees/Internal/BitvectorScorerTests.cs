using PatternQuality.Data;
using PatternQuality.Trees;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Trees.Internal;

/// <summary>The bitvector batch layout must give bit-identical scores to the node-at-a-time walk, on real models.</summary>
public class BitvectorScorerTests
{
    [Fact]
    public void Scores_BinaryExampleWithMissingValues_AreBitIdenticalToTheWalk()
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 100, Seed = 1 }).Fit(TestData.BinaryTrain);
        AssertBitIdentical(model.Ensemble, FlatEnsembleTests.WithMissing(TestData.BinaryTest));
        AssertBitIdentical(model.Ensemble, TestData.BinaryTest);
    }

    [Fact]
    public void Scores_CouponCategoricalSplits_AreBitIdenticalToTheWalk()
    {
        var (train, test) = TestData.Coupon;
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 60, Seed = 1 }).Fit(train);
        Assert.Contains(model.Ensemble.Trees, t => t.Nodes.Any(n => n.IsCategorical));
        AssertBitIdentical(model.Ensemble, test);

        // Categories outside the schema, negative and fractional values, NaN: all must take the walk's way.
        var odd = test.Features.ToArray();
        float[] specials = [float.NaN, -1f, 1e9f, 2.5f, float.PositiveInfinity];
        for (var i = 0; i < odd.Length; i += 3)
        {
            odd[i] = specials[i % specials.Length];
        }

        AssertBitIdentical(model.Ensemble, new Dataset(test.Schema, odd, test.Labels.ToArray()));
    }

    [Fact]
    public void Scores_ShallowForestAndNumericMissingValues_AreBitIdenticalToTheWalk()
    {
        var model = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 20, MaximumDepth = 5, Seed = 2 }).Fit(TestData.BinaryTrain);
        AssertBitIdentical(model.Ensemble, FlatEnsembleTests.WithMissing(TestData.BinaryTest));
    }

    [Fact]
    public void TryCreate_TreesWithMoreThan32Leaves_KeepsTheWalk()
    {
        var deep = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 3, NumberOfLeaves = 64, Seed = 1 }).Fit(TestData.BinaryTrain);
        Assert.Null(deep.Ensemble.BatchLayout(TestData.BinaryTrain.Schema.Count));

        var shallow = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 3, Seed = 1 }).Fit(TestData.BinaryTrain);
        Assert.Equal(System.Numerics.Vector.IsHardwareAccelerated, shallow.Ensemble.BatchLayout(TestData.BinaryTrain.Schema.Count) is not null);

        // A NaN threshold (possible only in a hand-made file) would be read differently by the two layouts.
        var node = new TreeNode { Feature = 0, Threshold = float.NaN, Left = ~0, Right = ~1, CategoryStart = -1 };
        Assert.Null(BitvectorScorer.TryCreate([new RegressionTree([node], [0, 1], [], [0], [1, 1], [1, 1])], 1));
        Assert.Null(BitvectorScorer.TryCreate([], 1));
    }

    [Fact]
    public void PredictProbability_PublicBatch_EqualsTheWalkForEveryRowCount()
    {
        // Row counts around block and group edges exercise the remainder path.
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 30, Seed = 1 }).Fit(TestData.BinaryTrain);
        var test = TestData.BinaryTest;
        var f = test.Schema.Count;

        // 3000 rows (more than the test file holds) cross the parallel path's threshold: the test rows, repeated.
        var tiled = new float[3000 * f];
        for (var r = 0; r < 3000; r++)
        {
            test.GetRow(r % test.RowCount).CopyTo(tiled.AsSpan(r * f));
        }

        foreach (var rows in new[] { 1, 7, 8, 9, 16, 17, 63, 3000 })
        {
            var viaModel = new float[rows];
            model.PredictProbability(tiled.AsSpan(0, rows * f), viaModel);
            var walked = new float[rows];
            model.Ensemble.PredictBinaryProbabilities(tiled.AsSpan(0, rows * f), f, walked, bitvector: null);
            Assert.Equal(walked, viaModel);
        }
    }

    [Fact]
    public void BatchLayout_ChosenWhereItPaysOff_NumericModelsOnly()
    {
        var numeric = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 10, Seed = 1 }).Fit(TestData.BinaryTrain);
        Assert.True(BitvectorScorer.PaysOff(numeric.Ensemble.Trees));
        Assert.Equal(System.Numerics.Vector.IsHardwareAccelerated, numeric.Ensemble.BatchLayout(TestData.BinaryTrain.Schema.Count) is not null);

        // Coupon's splits test category sets, which the layout checks row by row: walking is faster, so it is chosen.
        var (train, test) = TestData.Coupon;
        var categorical = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 10, Seed = 1 }).Fit(train);
        Assert.False(BitvectorScorer.PaysOff(categorical.Ensemble.Trees));
        Assert.Null(categorical.Ensemble.BatchLayout(test.Schema.Count));
    }

    private static void AssertBitIdentical(TreeEnsemble ensemble, Dataset rows)
    {
        var f = rows.Schema.Count;

        // The layout itself, whether or not the engine would choose it for this model.
        var layout = BitvectorScorer.TryCreate(ensemble.Trees, f);
        if (!System.Numerics.Vector.IsHardwareAccelerated)
        {
            Assert.Null(layout);
            return;
        }

        Assert.NotNull(layout);
        var n = rows.RowCount;
        var walked = new float[n];
        var vectored = new float[n];
        ensemble.PredictBinaryProbabilities(rows.Features.Span, f, walked, bitvector: null);
        ensemble.PredictBinaryProbabilities(rows.Features.Span, f, vectored, layout);
        Assert.Equal(walked, vectored);

        // Raw sums too, block by block: the probability could hide a last-bit difference in the margin.
        var lanes = BitvectorScorer.BlockRows;
        var scratch = new uint[ensemble.Trees.Length * lanes];
        var a = new double[lanes];
        var b = new double[lanes];
        for (var start = 0; start + lanes <= n; start += lanes)
        {
            Array.Clear(a);
            Array.Clear(b);
            var block = rows.Features.Span.Slice(start * f, lanes * f);
            ensemble.Flat!.AddTo(block, f, a);
            layout.AddBlock(block, f, b, scratch);
            Assert.Equal(a, b);
        }
    }
}
