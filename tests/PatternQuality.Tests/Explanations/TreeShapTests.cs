using PatternQuality.Data;
using PatternQuality.Tests.Trees;
using PatternQuality.Trees;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Explanations;

/// <summary>
/// TreeSHAP against its definition: contributions sum to the raw score, and equal the exact Shapley values of the
/// path-dependent value function (computed here by brute force over every feature subset) on small real models.
/// </summary>
public class TreeShapTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void BoostedModel_OnRealData_EqualsBruteForceShapleyAndSumsToRawScore()
    {
        var train = Narrow(TestData.BinaryTrain, 8, 3000);
        var test = Narrow(TestData.BinaryTest, 8, 60);
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 25, NumberOfLeaves = 12, Seed = 5 }).Fit(train);

        AssertExact(model.Ensemble, test, 1, 1.0, (x, raw) => raw[0] = model.PredictRaw(x), model.PredictContributions);
    }

    [Fact]
    public void RandomForest_WithCategoricalsAndMissingValues_EqualsBruteForceShapley()
    {
        var (train, test) = TestData.Coupon;
        var small = Narrow(train, 7, 4000);
        var rows = WithMissing(Narrow(test, 7, 50));
        var model = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 8, MaximumDepth = 6, MinimumExampleCountPerLeaf = 20, Seed = 4 }).Fit(small);

        AssertExact(model.Ensemble, rows, 1, 1.0 / model.TreeCount, (x, raw) => raw[0] = model.PredictRaw(x), model.PredictContributions);
    }

    [Fact]
    public void BoostedCategoricalModel_WithMissingValues_EqualsBruteForceShapley()
    {
        var (train, test) = TestData.Coupon;
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 20, NumberOfLeaves = 16, Seed = 8 }).Fit(Narrow(train, 8, 6000));
        var rows = WithMissing(Narrow(test, 8, 40));

        AssertExact(model.Ensemble, rows, 1, 1.0, (x, raw) => raw[0] = model.PredictRaw(x), model.PredictContributions);
    }

    [Fact]
    public void DeepForest_WithManyRepeatedSplits_EqualsBruteForceShapley()
    {
        // Deep trees on few features split on the same feature many times along a path (each repeat is one player,
        // its factor replaced), and need many quadrature points.
        var train = Narrow(TestData.BinaryTrain, 5, 2000);
        var model = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 4, MaximumDepth = 30, MinimumExampleCountPerLeaf = 1, Seed = 3 }).Fit(train);
        Assert.True(model.Explainer.MaxDepth >= 15, $"The trees should be deep; the deepest path has {model.Explainer.MaxDepth} splits.");

        AssertExact(model.Ensemble, Narrow(TestData.BinaryTest, 5, 40), 1, 1.0 / model.TreeCount, (x, raw) => raw[0] = model.PredictRaw(x), model.PredictContributions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(40)]
    public void GaussLegendre_IntegratesPolynomialsUpToDegree2nMinus1Exactly(int count)
    {
        var (points, weights) = GaussLegendre.OnUnitInterval(count, count + 3);
        Assert.Equal(0, weights[count..].Sum());
        for (var degree = 0; degree < 2 * count; degree++)
        {
            double integral = 0;
            for (var p = 0; p < points.Length; p++)
            {
                Assert.InRange(points[p], 0, 1);
                integral += weights[p] * Math.Pow(points[p], degree);
            }

            Assert.Equal(1.0 / (degree + 1), integral, 1e-13);
        }
    }

    [Fact]
    public void MulticlassModel_PerClassContributions_EqualBruteForceShapley()
    {
        var data = SyntheticData.ThreeClasses(1500);
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 10, NumberOfLeaves = 8, Seed = 1 }).FitMulticlass(data);

        AssertExact(model.Ensemble, SyntheticData.ThreeClasses(30, seed: 99), 3, 1.0, model.PredictRaw, model.PredictContributions);
    }

    [Fact]
    public void LargeModel_ContributionsSumToRawScoreOnEveryTestRow()
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 100, NumberOfLeaves = 31, Seed = 2 }).Fit(TestData.BinaryTrain);
        var test = TestData.BinaryTest;
        var f = test.Schema.Count;
        var phi = new double[f + 1];
        for (var r = 0; r < test.RowCount; r++)
        {
            var x = test.Features.Span.Slice(r * f, f);
            model.PredictContributions(x, phi);
            Assert.Equal(model.PredictRaw(x), phi.Sum(), Tolerance);
        }
    }

    [Fact]
    public void UnrolledWidths_EqualTheGeneralLoopOnEveryTestRow()
    {
        // The unrolled fixed-width code (4, 8 and 16 quadrature values, 256- and 512-bit vectors) does the general
        // loop's operations in the same order; both are checked against it on real rows: a 100-tree, 31-leaf model
        // (widths 4 and 8) and deep forest trees on all 28 features (width 16: up to 32 distinct features on a path).
        var boosted = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 100, NumberOfLeaves = 31, Seed = 2 }).Fit(TestData.BinaryTrain);
        var deep = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 3, MaximumDepth = 30, MinimumExampleCountPerLeaf = 1, Seed = 5 }).Fit(Narrow(TestData.BinaryTrain, 28, 3000));
        var test = TestData.BinaryTest;
        var f = test.Schema.Count;
        foreach (var ensemble in new[] { boosted.Ensemble, deep.Ensemble })
        {
            var general = new TreeShap(ensemble, f, packed: false);
            Assert.All(general.PackedWidths, w => Assert.Equal(0, w));
            var explainers = new[] { new TreeShap(ensemble, f, wide: false), new TreeShap(ensemble, f, wide: true) };
            var expected = new double[f + 1];
            var actual = new double[f + 1];
            for (var r = 0; r < test.RowCount; r++)
            {
                var x = test.Features.Span.Slice(r * f, f);
                general.Explain(x, expected);
                foreach (var explainer in explainers)
                {
                    explainer.Explain(x, actual);
                    for (var j = 0; j <= f; j++)
                    {
                        Assert.Equal(expected[j], actual[j], 1e-12);
                    }
                }
            }
        }

        Assert.Contains(4, boosted.Explainer.PackedWidths);
        Assert.Contains(8, boosted.Explainer.PackedWidths);
        Assert.Contains(16, deep.Explainer.PackedWidths);
    }

    [Fact]
    public void PredictContributions_WrongLengths_ThrowArgumentException()
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 3 }).Fit(SyntheticData.Binary(200));
        Assert.Throws<ArgumentException>(() => model.PredictContributions(new float[3], new double[3]));
        Assert.Throws<ArgumentException>(() => model.PredictContributions(new float[2], new double[2]));

        var multi = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 3 }).FitMulticlass(SyntheticData.ThreeClasses(200));
        Assert.Throws<ArgumentException>(() => multi.PredictContributions(new float[2], new double[3]));
        Assert.Throws<ArgumentException>(() => multi.PredictRaw(new float[2], new double[2]));
    }

    private delegate void RawScores(ReadOnlySpan<float> x, Span<double> raw);

    private delegate void Contributions(ReadOnlySpan<float> x, Span<double> destination);

    private static void AssertExact(TreeEnsemble ensemble, Dataset rows, int classes, double treeScale, RawScores raw, Contributions contributions)
    {
        var f = rows.Schema.Count;
        Assert.InRange(f, 1, 8);
        var phi = new double[classes * (f + 1)];
        var rawScores = new double[classes];
        var checkedNonZero = 0;
        for (var r = 0; r < rows.RowCount; r++)
        {
            var x = rows.Features.Span.Slice(r * f, f).ToArray();
            contributions(x, phi);
            raw(x, rawScores);
            for (var c = 0; c < classes; c++)
            {
                var expected = BruteForceShapley(ensemble, x, c, classes, treeScale);
                for (var j = 0; j <= f; j++)
                {
                    Assert.Equal(expected[j], phi[(c * (f + 1)) + j], Tolerance);
                    checkedNonZero += Math.Abs(expected[j]) > 1e-6 ? 1 : 0;
                }

                Assert.Equal(rawScores[c], phi.AsSpan(c * (f + 1), f + 1).ToArray().Sum(), Tolerance);
            }
        }

        Assert.True(checkedNonZero > rows.RowCount, "The models should give real, non-zero contributions.");
    }

    /// <summary>Exact Shapley values of v(S) = the trees' expected output given the features in S, by the definition.</summary>
    private static double[] BruteForceShapley(TreeEnsemble ensemble, float[] x, int classIndex, int classes, double treeScale)
    {
        var f = x.Length;
        var subsets = 1 << f;
        var value = new double[subsets];
        for (var s = 0; s < subsets; s++)
        {
            double sum = 0;
            for (var t = classIndex; t < ensemble.Trees.Length; t += classes)
            {
                var tree = ensemble.Trees[t];
                sum += tree.Nodes.Length == 0 ? tree.LeafValues[0] : Expect(tree, 0, x, s);
            }

            value[s] = (ensemble.BaseScores[classIndex] + sum) * treeScale;
        }

        var factorial = new double[f + 1];
        factorial[0] = 1;
        for (var i = 1; i <= f; i++)
        {
            factorial[i] = factorial[i - 1] * i;
        }

        var phi = new double[f + 1];
        for (var i = 0; i < f; i++)
        {
            for (var s = 0; s < subsets; s++)
            {
                if ((s & (1 << i)) != 0)
                {
                    continue;
                }

                var size = System.Numerics.BitOperations.PopCount((uint)s);
                var weight = factorial[size] * factorial[f - size - 1] / factorial[f];
                phi[i] += weight * (value[s | (1 << i)] - value[s]);
            }
        }

        phi[f] = value[0];
        return phi;
    }

    private static double Expect(RegressionTree tree, int node, float[] x, int known)
    {
        if (node < 0)
        {
            return tree.LeafValues[~node];
        }

        var n = tree.Nodes[node];
        if ((known & (1 << n.Feature)) != 0)
        {
            var left = GoesLeft(tree, n, x[n.Feature]);
            return Expect(tree, left ? n.Left : n.Right, x, known);
        }

        var wl = Cover(tree, n.Left);
        var wr = Cover(tree, n.Right);
        var fl = wl + wr > 0 ? wl / (wl + wr) : 0.5;
        return (fl * Expect(tree, n.Left, x, known)) + ((1 - fl) * Expect(tree, n.Right, x, known));
    }

    private static bool GoesLeft(RegressionTree tree, TreeNode n, float v)
    {
        if (!n.IsCategorical)
        {
            return v <= n.Threshold || (float.IsNaN(v) && n.DefaultLeft);
        }

        if (!(v >= 0) || v >= n.CategoryWordCount * 32)
        {
            return false;
        }

        var c = (int)v;
        return (tree.CategoryBits[n.CategoryStart + (c >> 5)] & (1u << (c & 31))) != 0;
    }

    private static double Cover(RegressionTree tree, int node)
    {
        if (node < 0)
        {
            return Math.Max(0, tree.LeafWeights[~node]);
        }

        var n = tree.Nodes[node];
        return Cover(tree, n.Left) + Cover(tree, n.Right);
    }

    /// <summary>The first <paramref name="features"/> columns and <paramref name="rows"/> rows, as a new dataset.</summary>
    private static Dataset Narrow(Dataset data, int features, int rows)
    {
        var f = data.Schema.Count;
        rows = Math.Min(rows, data.RowCount);
        var x = new float[rows * features];
        for (var r = 0; r < rows; r++)
        {
            data.Features.Span.Slice(r * f, features).CopyTo(x.AsSpan(r * features, features));
        }

        var schema = new FeatureSchema(data.Schema.Features.Take(features));
        return new Dataset(schema, x, data.Labels.Span[..rows].ToArray());
    }

    /// <summary>Blanks a few values so the learned default directions are explained too.</summary>
    private static Dataset WithMissing(Dataset data)
    {
        var x = data.Features.ToArray();
        for (var i = 0; i < x.Length; i += 5)
        {
            x[i] = float.NaN;
        }

        return new Dataset(data.Schema, x, data.Labels.ToArray());
    }
}
