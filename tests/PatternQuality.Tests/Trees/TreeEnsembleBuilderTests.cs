using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Trees;

public sealed class TreeEnsembleBuilderTests
{
    private static readonly FeatureSchema _schema = new([
        new FeatureDefinition("x", FeatureKind.Numeric),
        new FeatureDefinition("c", FeatureKind.Categorical, ["a", "b", "c"]),
    ]);

    [Fact]
    public void Build_SplitsInAnyOrder_ScoresAsTheTreesSay()
    {
        // Root (split 0) on x <= 1: left is split 1 (categorical, category 1 left), right is leaf 2. NaN x goes left.
        TreeSplit[] splits =
        [
            new() { Feature = 0, Threshold = 1, Left = 1, Right = ~2, MissingGoesLeft = true, Gain = 3 },
            new() { Feature = 1, LeftCategories = [1], Left = ~0, Right = ~1 },
        ];
        var model = new TreeEnsembleBuilder(_schema) { BaseScore = 0.5, LearningRate = 0.3 }
            .AddTree(splits, [1.0, 2.0, 3.0], [10, 20, 30])
            .AddTree([], [0.25])
            .Build([new("Source", "test")]);

        Assert.Equal(0.5 + 1 + 0.25, model.PredictRaw([0, 1]), 12);
        Assert.Equal(0.5 + 2 + 0.25, model.PredictRaw([1, 0]), 12);
        Assert.Equal(0.5 + 2 + 0.25, model.PredictRaw([float.NaN, float.NaN]), 12);
        Assert.Equal(0.5 + 3 + 0.25, model.PredictRaw([1.5f, 1]), 12);
        Assert.Equal(1 / (1 + Math.Exp(-3.75)), model.PredictProbability([1.5f, 1]), 6);
        Assert.Equal(2, model.TreeCount);
        Assert.Equal("test", model.TrainingOptions["Source"]);
        Assert.Equal(3, model.GetFeatureImportance()["x"].Gain);
        var loaded = TreeEnsembleModel.Load(model.ToBytes());
        Assert.Equal(model.PredictRaw([0, 1]), loaded.PredictRaw([0, 1]));
    }

    [Fact]
    public void Build_ChildBeforeParent_IsRenumbered()
    {
        // Split 0 is the root; its left child is split 2, whose left child is split 1: not in depth-first order.
        TreeSplit[] splits =
        [
            new() { Feature = 0, Threshold = 0, Left = 2, Right = ~3 },
            new() { Feature = 0, Threshold = -2, Left = ~0, Right = ~1 },
            new() { Feature = 0, Threshold = -1, Left = 1, Right = ~2 },
        ];
        var model = new TreeEnsembleBuilder(_schema).AddTree(splits, [1, 2, 3, 4]).Build();

        Assert.Equal(1, model.PredictRaw([-3, 0]));
        Assert.Equal(2, model.PredictRaw([-1.5f, 0]));
        Assert.Equal(3, model.PredictRaw([-0.5f, 0]));
        Assert.Equal(4, model.PredictRaw([1, 0]));
        Assert.Equal(1, TreeEnsembleModel.Load(model.ToBytes()).PredictRaw([-3, 0]));
    }

    public static TheoryData<string, TreeSplit[], double[]> Malformed => new()
    {
        { "one more leaf", [new() { Feature = 0, Left = ~0, Right = ~1 }], [1] },
        { "out of range", [new() { Feature = 0, Left = 1, Right = ~1 }], [1, 2] },
        { "out of range", [new() { Feature = 0, Left = ~5, Right = ~1 }], [1, 2] },
        { "reached twice", [new() { Feature = 0, Left = ~0, Right = ~0 }], [1, 2] },
        { "reached twice", [new() { Feature = 0, Left = 0, Right = ~1 }, new() { Feature = 0, Left = ~0, Right = ~2 }], [1, 2, 3] },
        { "does not reach", [new() { Feature = 0, Left = ~0, Right = ~1 }, new() { Feature = 0, Left = ~2, Right = ~2 }], [1, 2, 3] },
        { "not finite", [new() { Feature = 0, Threshold = float.NaN, Left = ~0, Right = ~1 }], [1, 2] },
        { "not finite", [new() { Feature = 0, Left = ~0, Right = ~1 }], [1, double.PositiveInfinity] },
        { "feature 7", [new() { Feature = 7, Left = ~0, Right = ~1 }], [1, 2] },
        { "is not", [new() { Feature = 0, LeftCategories = [0], Left = ~0, Right = ~1 }], [1, 2] },
        { "category index", [new() { Feature = 1, LeftCategories = [-1], Left = ~0, Right = ~1 }], [1, 2] },
        { "is null", [null!], [1, 2] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AddTree_Malformed_ArgumentExceptionSaysWhy(string reason, TreeSplit[] splits, double[] leaves)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TreeEnsembleBuilder(_schema).AddTree(splits, leaves));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Arguments_Invalid_Throw()
    {
        var builder = new TreeEnsembleBuilder(_schema);
        Assert.Throws<ArgumentNullException>(() => new TreeEnsembleBuilder(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddTree(null!, [1]));
        Assert.Throws<ArgumentNullException>(() => builder.AddTree([], null!));
        Assert.Throws<ArgumentException>(() => builder.AddTree([], [1], [1, 2]));
        Assert.Throws<ArgumentException>(() => builder.AddTree([], [1], [-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.BaseScore = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.LearningRate = 0);
        Assert.Equal(0, builder.TreeCount);
        Assert.Equal(0.1, builder.LearningRate);
        Assert.Equal(0, builder.BaseScore);
    }
}
