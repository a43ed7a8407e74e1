using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Interop;
using PatternQuality.Scoring;
using PatternQuality.Trees;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Interop;

/// <summary>
/// Hand-built trees for the corners trained models rarely reach: a tree that is one leaf beside trees that split, a
/// categorical split whose set is empty, and a margin so large that the probability is exactly 1 in float, which our
/// calibration clips before taking the log-odds (an export that calibrated the raw margin would be off by about 0.1).
/// </summary>
public class OnnxHandBuiltModelTests
{
    private static readonly FeatureSchema Schema = new(
    [
        new FeatureDefinition("x", FeatureKind.Numeric),
        new FeatureDefinition("colour", FeatureKind.Categorical, ["red", "green", "blue"]),
    ]);

    private static readonly float[] Rows = Grid();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CornerCases_EqualOurScores(bool forest)
    {
        var trees = Model(forest);
        foreach (var calibrator in new Calibrator[] { IdentityCalibrator.Instance, new PlattCalibrator(-0.1, 0.2), IsotonicCalibrator.Fit([0.1f, 0.5f, 0.9f, 0.99f, 1f], [0, 0, 1, 1, 1]) })
        {
            var model = new QualityModel(trees, calibrator);
            OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), Rows);
        }
    }

    [Fact]
    public void LargeMargin_ProbabilityRoundsToOne_AndTheCalibrationStillAgrees()
    {
        var model = new QualityModel(Model(forest: false), new PlattCalibrator(-0.1, 0.2));
        Assert.Equal(1f, model.Predictor.PredictProbability([0f, 0f]));
        var ours = model.Score([0f, 0f]);
        var onnx = OnnxParity.Run(OnnxExporter.ToBytes(model), [0f, 0f], 2)[0];
        Assert.Equal(ours, onnx, 1e-6);

        // Calibrating the unclipped margin (20.5) would give sigmoid(2.05 - 0.2) = 0.86, not ours (0.96).
        Assert.True(ours > 0.95);
    }

    private static TreeEnsembleModel Model(bool forest)
    {
        var leaf = new RegressionTree([], [forest ? 0.6 : 0.25], [], [], [1], [1]);
        var numeric = new RegressionTree(
            [new TreeNode { Feature = 0, Threshold = 0.5f, Left = ~0, Right = ~1, CategoryStart = -1, DefaultLeft = true }],
            [forest ? 0.9 : 20.0, forest ? 0.2 : -3.0], [], [1], [1, 1], [1, 1]);

        // Category bits all zero: the split's set is empty, so every row goes right.
        var emptySet = new RegressionTree(
            [new TreeNode { Feature = 1, Left = ~0, Right = ~1, CategoryStart = 0, CategoryWordCount = 1 }],
            [forest ? 0.1 : 5.0, forest ? 0.4 : -0.5], [0u], [1], [1, 1], [1, 1]);
        var categorical = new RegressionTree(
            [new TreeNode { Feature = 1, Left = ~0, Right = ~1, CategoryStart = 0, CategoryWordCount = 1 }],
            [forest ? 0.7 : 0.75, forest ? 0.3 : -0.25], [0b101u], [1], [1, 1], [1, 1]);
        var kind = forest ? EnsembleKind.Forest : EnsembleKind.BoostedBinary;
        var ensemble = new TreeEnsemble(kind, 1, [0.0], [leaf, numeric, emptySet, categorical], 0.1, 0);
        return new TreeEnsembleModel(Schema, ensemble, [], []);
    }

    private static float[] Grid()
    {
        var values = new[] { 0f, 1f, 2f, 2.5f, 3f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 40f };
        var rows = new List<float>();
        foreach (var x in values)
        {
            foreach (var c in values)
            {
                rows.Add(x);
                rows.Add(c);
            }
        }

        return [.. rows];
    }
}
