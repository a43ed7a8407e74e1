using PatternQuality.Data;
using PatternQuality.Trees;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Trees.Internal;

/// <summary>The packed scoring layout against the trees it packs, on real models with numeric, categorical and missing values.</summary>
public class FlatEnsembleTests
{
    [Fact]
    public void Sum_BinaryExampleModel_EqualsTheTreesOneByOne()
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 40, Seed = 1 }).Fit(TestData.BinaryTrain);
        AssertSameAsTrees(model.Ensemble, WithMissing(TestData.BinaryTest));
    }

    [Fact]
    public void Sum_CouponCategoricalModel_EqualsTheTreesOneByOne()
    {
        var (train, test) = TestData.Coupon;
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 40, Seed = 1 }).Fit(train);
        Assert.Contains(model.Ensemble.Trees, t => t.Nodes.Any(n => n.IsCategorical));
        AssertSameAsTrees(model.Ensemble, test);
    }

    [Fact]
    public void AddTo_RowGroups_GivesTheSameSumsAsOneRowAtATime()
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 20, Seed = 1 }).Fit(TestData.BinaryTrain);
        var flat = model.Ensemble.Flat!;
        var test = WithMissing(TestData.BinaryTest);
        var f = test.Schema.Count;
        foreach (var group in new[] { 1, 7, 64 })
        {
            var sums = new double[group];
            flat.AddTo(test.Features.Span[..(group * f)], f, sums);
            for (var r = 0; r < group; r++)
            {
                Assert.Equal(flat.Sum(test.GetRow(r)), sums[r]);
            }
        }
    }

    [Fact]
    public void Sum_StumpsAndNoTrees_AddOnlyLeafValues()
    {
        var stump = new RegressionTree([], [0.25], [], [], [1], [1]);
        Assert.Equal(0.5, new FlatEnsemble([stump, stump]).Sum([1f, 2f]));
        Assert.Equal(0, new FlatEnsemble([]).Sum([1f]));
        Assert.Equal(0, new FlatEnsemble([]).TreeCount);
    }

    [Fact]
    public void Ctor_FeatureIndexBeyondTheLimit_Throws()
    {
        var node = new TreeNode { Feature = FlatEnsemble.FeatureMask + 1, Threshold = 0, Left = ~0, Right = ~1, CategoryStart = -1 };
        var tree = new RegressionTree([node], [0, 1], [], [0], [1, 1], [1, 1]);
        Assert.Throws<NotSupportedException>(() => new FlatEnsemble([tree]));
    }

    private static void AssertSameAsTrees(TreeEnsemble ensemble, Dataset rows)
    {
        var flat = ensemble.Flat!;
        Assert.Equal(ensemble.Trees.Length, flat.TreeCount);
        for (var r = 0; r < rows.RowCount; r++)
        {
            var x = rows.GetRow(r);
            double expected = 0;
            foreach (var tree in ensemble.Trees)
            {
                expected += tree.Predict(x);
            }

            Assert.Equal(expected, flat.Sum(x));
        }
    }

    /// <summary>Blanks every fifth value so rows take learned default directions too.</summary>
    internal static Dataset WithMissing(Dataset data)
    {
        var x = data.Features.ToArray();
        for (var i = 0; i < x.Length; i += 5)
        {
            x[i] = float.NaN;
        }

        return new Dataset(data.Schema, x, data.Labels.ToArray());
    }
}
