using System.Text;
using PatternQuality.Data;
using PatternQuality.Interop;
using PatternQuality.Serialization;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Tests.Trees;

namespace PatternQuality.Tests.Interop;

/// <summary>Imported LightGBM text models predict what the native LightGBM library (from Microsoft.ML.LightGbm) predicts.</summary>
public sealed class LightGbmModelImporterTests
{
    private const string Common = "objective=binary verbosity=-1 num_threads=1 deterministic=true seed=3";

    /// <summary>The binary example with 10% of the cells missing, so learned default directions (missing type NaN) matter.</summary>
    private static Dataset WithMissing(Dataset data, int seed)
    {
        var x = data.Features.ToArray();
        var random = new Random(seed);
        for (var i = 0; i < x.Length; i++)
        {
            if (random.NextDouble() < 0.1)
            {
                x[i] = float.NaN;
            }
        }

        return new Dataset(data.Schema, x, data.Labels.ToArray());
    }

    private static void AssertSamePredictions(string parameters, int rounds, Dataset train, Dataset test, double sigmoid = 1)
    {
        using var model = new TempFile(string.Empty, ".txt");
        LightGbmNative.TrainAndSave(train, parameters, rounds, model.Path);
        var probability = LightGbmNative.Predict(model.Path, test, raw: false);
        var raw = LightGbmNative.Predict(model.Path, test, raw: true);

        using var file = File.OpenRead(model.Path);
        var imported = LightGbmModelImporter.Import(file, test.Schema);

        Assert.Equal(rounds, imported.TreeCount);
        var batch = new float[test.RowCount];
        imported.PredictProbability(test.Features.Span, batch);
        double maxRaw = 0, maxProbability = 0;
        for (var r = 0; r < test.RowCount; r++)
        {
            // The imported margin is LightGBM's sigmoid parameter times its raw score.
            maxRaw = Math.Max(maxRaw, Math.Abs(imported.PredictRaw(test.GetRow(r)) - (sigmoid * raw[r])));
            maxProbability = Math.Max(maxProbability, Math.Abs(batch[r] - probability[r]));
        }

        Assert.True(maxRaw <= 1e-5, $"max raw difference {maxRaw:E2}");
        Assert.True(maxProbability <= 1e-5, $"max probability difference {maxProbability:E2}");
    }

    [Fact]
    public void BinaryExample_WithMissingValues_EqualsNativeLightGbm()
    {
        AssertSamePredictions(Common + " num_leaves=31 learning_rate=0.1 min_data_in_leaf=20", 100, WithMissing(TestData.BinaryTrain, 1), WithMissing(TestData.BinaryTest, 2));
    }

    [Fact]
    public void CategoricalSplits_Coupon_EqualsNativeLightGbm()
    {
        var (train, test) = TestData.Coupon;
        var categorical = string.Join(',', Enumerable.Range(0, train.Schema.Count));
        AssertSamePredictions(Common + $" num_leaves=15 learning_rate=0.1 min_data_per_group=20 categorical_feature={categorical}", 50, train, test);
    }

    [Fact]
    public void Sigmoid_ScalesTheMargin()
    {
        AssertSamePredictions(Common + " sigmoid=0.5 num_leaves=7", 10, TestData.BinaryTrain, TestData.BinaryTest, sigmoid: 0.5);
    }

    public static TheoryData<string> Malformed => new()
    {
        string.Empty,
        "garbage without equals",
        "tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\nmax_feature_idx=27\n\nTree=0\nnum_leaves=2\n",
        "tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\nmax_feature_idx=27\n\nTree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=0\nthreshold=0.5\ndecision_type=2\nleft_child=-1\nright_child=-2\nleaf_value=0.1\n\nend of trees\n",
        "tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\nmax_feature_idx=27\n\nTree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=99\nthreshold=0.5\ndecision_type=2\nleft_child=-1\nright_child=-2\nleaf_value=0.1 0.2\n\nend of trees\n",
        "tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\nmax_feature_idx=27\n\nTree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=0\nthreshold=0.5\ndecision_type=2\nleft_child=-1\nright_child=-1\nleaf_value=0.1 0.2\n\nend of trees\n",
        "tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\nmax_feature_idx=99\n\nend of trees\n",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Import_Malformed_ModelFormatException(string content)
    {
        Assert.Throws<ModelFormatException>(() => LightGbmModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(content)), TestData.BinaryTest.Schema));
    }

    [Fact]
    public void Import_Unsupported_NotSupportedException()
    {
        const string Header = "tree\nversion=v4\nmax_feature_idx=27\n";
        Assert.Throws<NotSupportedException>(() => LightGbmModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(Header + "num_class=3\nobjective=multiclass num_class:3\n\nend of trees\n")), TestData.BinaryTest.Schema));
        Assert.Throws<NotSupportedException>(() => LightGbmModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(Header + "num_class=1\nobjective=regression\n\nend of trees\n")), TestData.BinaryTest.Schema));
        var stump = LightGbmModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(Header + "num_class=1\nobjective=binary sigmoid:2\n\nTree=0\nnum_leaves=1\nleaf_value=0.25\nshrinkage=1\n\nend of trees\n")), TestData.BinaryTest.Schema);
        Assert.Equal(0.5, stump.PredictRaw(TestData.BinaryTest.GetRow(0)), 12);
        Assert.Throws<ArgumentNullException>(() => LightGbmModelImporter.Import(null!, TestData.BinaryTest.Schema));
    }
}
