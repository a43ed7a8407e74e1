using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Moq;
using Xunit.Abstractions;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Interop;
using PatternQuality.Learning;
using PatternQuality.Scoring;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Interop;

/// <summary>
/// Exported models scored by ONNX Runtime 1.31.1 equal our scorer on every held-out coupon row (to 1e-5), for boosted
/// trees and forests, with each calibrator, with missing values the trees learnt a direction for, and with categorical splits.
/// </summary>
public class OnnxExporterTests(OnnxExporterTests.CouponModels coupon, ITestOutputHelper output) : IClassFixture<OnnxExporterTests.CouponModels>
{
    [Fact]
    public void Gbdt_EveryTestRow_EqualsOurScores_WithEachCalibrator()
    {
        foreach (var calibrator in coupon.Calibrators(coupon.Gbdt))
        {
            var model = new QualityModel(coupon.Gbdt, calibrator);
            var worst = OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), coupon.TestRows);
            output.WriteLine($"gbdt, {calibrator.Method}: largest difference {worst:E2} over {coupon.TestRows.Length / coupon.Schema.Count} rows");
        }
    }

    [Fact]
    public void Forest_EveryTestRow_EqualsOurScores_WithEachCalibrator()
    {
        foreach (var calibrator in coupon.Calibrators(coupon.Forest))
        {
            var model = new QualityModel(coupon.Forest, calibrator);
            var worst = OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), coupon.TestRows);
            output.WriteLine($"forest, {calibrator.Method}: largest difference {worst:E2} over {coupon.TestRows.Length / coupon.Schema.Count} rows");
        }
    }

    [Fact]
    public void Models_UseBothMissingDirectionsAndCategoricalSplits()
    {
        // Guards the tests above: they prove missing-value routing and set membership only if the trees use them.
        foreach (var trees in new[] { coupon.Gbdt, coupon.Forest })
        {
            var splits = trees.ToExport().Trees.SelectMany(t => t.Splits).ToArray();
            Assert.Contains(splits, s => s.LeftCategories is { Count: > 1 });
            Assert.Contains(splits, s => s.LeftCategories is null && s.MissingGoesLeft);
            Assert.Contains(splits, s => s.LeftCategories is null && !s.MissingGoesLeft);
        }

        Assert.Contains(coupon.TestRows, float.IsNaN);
    }

    [Fact]
    public void ExtremeInputs_RouteAsOurs()
    {
        // Every feature NaN, +-infinity, huge, negative, and fractional category indexes (ours truncate them).
        var f = coupon.Schema.Count;
        var fills = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1e30f, -1f, -0f, 0.5f, 1.5f, 2.99f, 7.25f, 1e6f };
        var rows = new List<float>();
        foreach (var fill in fills)
        {
            rows.AddRange(Enumerable.Repeat(fill, f));
        }

        // And single features replaced in real rows.
        for (var r = 0; r < 40; r++)
        {
            var row = coupon.TestRows.AsSpan(r * f, f).ToArray();
            row[r % f] = fills[r % fills.Length];
            row[(r * 7) % f] = fills[(r + 3) % fills.Length];
            rows.AddRange(row);
        }

        foreach (var trees in new[] { coupon.Gbdt, coupon.Forest })
        {
            foreach (var calibrator in coupon.Calibrators(trees))
            {
                var model = new QualityModel(trees, calibrator);
                OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), [.. rows]);
            }
        }
    }

    [Fact]
    public void EmptyAndSingleTreeModels_Export()
    {
        var rows = coupon.TestRows.AsSpan(0, coupon.Schema.Count * 50).ToArray();
        foreach (var trees in new[] { coupon.Gbdt.TakeFirst(0), coupon.Gbdt.TakeFirst(1), coupon.Forest.TakeFirst(0), coupon.Forest.TakeFirst(1) })
        {
            var model = new QualityModel(trees, PlattCalibrator.Fit([0.1f, 0.4f, 0.6f, 0.9f], [0, 0, 1, 1]));
            OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), rows);
        }
    }

    [Fact]
    public void ModelWithoutSplits_Exports()
    {
        // Two rows cannot be split (minimum 20 per leaf): the model is its base score, with no split anywhere.
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]);
        var stump = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 3, NumberOfThreads = 1 })
            .Fit(new Dataset(schema, [1f, 2f], [0f, 1f]));
        Assert.Empty(stump.ToExport().Trees.SelectMany(t => t.Splits));
        var model = new QualityModel(stump);
        OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), [0f, 1f, float.NaN, 5f]);
    }

    [Fact]
    public void Isotonic_WithOnePoint_IsAConstant()
    {
        var model = new QualityModel(coupon.Gbdt, IsotonicCalibrator.Fit([0.2f, 0.2f, 0.2f], [0, 1, 1]));
        Assert.Equal(1, ((IsotonicCalibrator)model.Calibrator).PointCount);
        OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), coupon.TestRows.AsSpan(0, coupon.Schema.Count * 20).ToArray());
    }

    [Fact]
    public void Bank_GbdtWithIsotonic_EqualsOurScores()
    {
        // A second real dataset: bank marketing (numeric and categorical columns, 41k rows; a 10k-row sample trains).
        var load = CsvDatasetLoader.Load(SharedData.Bank, new CsvLoadOptions { LabelColumn = "y", PositiveValue = "yes" });
        var data = load.Dataset;
        var train = data.Select(Enumerable.Range(0, data.RowCount).Where(i => i % 4 == 0).ToArray());
        var test = data.Select(Enumerable.Range(0, data.RowCount).Where(i => i % 4 == 1).ToArray());
        var trees = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 40, NumberOfLeaves = 16, NumberOfThreads = 1 }).Fit(train);
        var isotonic = IsotonicCalibrator.Fit(Predict(trees, train), train.Labels.Span);
        Assert.True(isotonic.PointCount > 10);
        var model = new QualityModel(trees, isotonic);
        var worst = OnnxParity.AssertSameScores(model, OnnxExporter.ToBytes(model), test.Features.ToArray());
        output.WriteLine($"bank gbdt, isotonic ({isotonic.PointCount} points): largest difference {worst:E2} over {test.RowCount} rows");
    }

    [Fact]
    public void Export_WritesToTheStream_WithOptionNamesAndMetadata()
    {
        var model = new QualityModel(coupon.Gbdt, null, new ModelInfo(coupon.Schema, "gbdt") { Version = "v-7" });
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, stream, new OnnxExportOptions { InputName = "x", OutputName = "p" });

        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal("x", Assert.Single(session.InputMetadata).Key);
        Assert.Equal([-1, coupon.Schema.Count], session.InputMetadata["x"].Dimensions);
        Assert.Equal("p", Assert.Single(session.OutputMetadata).Key);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("v-7", metadata["patternquality.version"]);
        Assert.Equal("gbdt", metadata["patternquality.ensemble"]);
        Assert.Equal(coupon.Schema.Hash, metadata["patternquality.schema_hash"]);
        var names = System.Text.Json.JsonSerializer.Deserialize<string[]>(metadata["patternquality.features"]);
        Assert.Equal(coupon.Schema.Features.Select(d => d.Name), names);
        Assert.Equal("PatternQuality", session.ModelMetadata.ProducerName);

        var rows = coupon.TestRows.AsSpan(0, coupon.Schema.Count * 10).ToArray();
        var scores = OnnxParity.Run(stream.ToArray(), rows, coupon.Schema.Count, input: "x");
        Assert.Equal(model.Score(rows.AsSpan(0, coupon.Schema.Count)), scores[0], 1e-5);
    }

    [Fact]
    public void CustomPredictor_IsNotSupported_NamingIt()
    {
        var predictor = new Mock<IPredictor>();
        predictor.SetupGet(p => p.Schema).Returns(coupon.Schema);
        var model = new QualityModel(predictor.Object);

        var ex = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(model));
        Assert.Contains("tree ensemble", ex.Message);
        Assert.Contains("IPredictor", ex.Message);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var model = new QualityModel(coupon.Gbdt);
        Assert.Throws<ArgumentNullException>(() => OnnxExporter.ToBytes(null!));
        Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(model, null!));
        Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(null!, Stream.Null));
        using var readOnly = new MemoryStream([], writable: false);
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, readOnly));

        var same = Assert.Throws<OptionsValidationException>(() => OnnxExporter.ToBytes(model, new OnnxExportOptions { InputName = "a", OutputName = "a" }));
        Assert.Contains("must differ", same.Message);
        var empty = Assert.Throws<OptionsValidationException>(() => OnnxExporter.ToBytes(model, new OnnxExportOptions { InputName = " ", OutputName = "" }));
        Assert.Equal(2, empty.Failures.Count());
    }

    private static float[] Predict(TreeEnsembleModel trees, Dataset data)
    {
        var p = new float[data.RowCount];
        trees.PredictProbability(data.Features.Span, p);
        return p;
    }

    /// <summary>
    /// Coupon models trained once for the class: 80% of rows to train, 20% to test, with 10% of values set missing
    /// in both, so the trees learn a missing-value direction per split.
    /// </summary>
    public sealed class CouponModels
    {
        public CouponModels()
        {
            var load = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" });
            var data = load.Dataset;
            Schema = data.Schema;
            var features = data.Features.ToArray();
            var random = new Random(12);
            for (var i = 0; i < features.Length; i++)
            {
                if (random.NextDouble() < 0.1)
                {
                    features[i] = float.NaN;
                }
            }

            var withMissing = new Dataset(Schema, features, data.Labels.ToArray());
            var cut = data.RowCount * 4 / 5;
            Train = withMissing.Select(Enumerable.Range(0, cut).ToArray());
            TestRows = withMissing.Select(Enumerable.Range(cut, data.RowCount - cut).ToArray()).Features.ToArray();
            Gbdt = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 60, NumberOfLeaves = 16, NumberOfThreads = 1 }).Fit(Train);
            Forest = new RandomForestLearner(new RandomForestOptions { NumberOfTrees = 25, MaximumDepth = 8, NumberOfThreads = 1 }).Fit(Train);
        }

        public FeatureSchema Schema { get; }

        public Dataset Train { get; }

        public float[] TestRows { get; }

        public TreeEnsembleModel Gbdt { get; }

        public TreeEnsembleModel Forest { get; }

        /// <summary>None, Platt and isotonic, the latter two fitted on the model's training predictions (the test is about export, not calibration quality).</summary>
        public IEnumerable<Calibrator> Calibrators(TreeEnsembleModel trees)
        {
            var p = Predict(trees, Train);
            yield return IdentityCalibrator.Instance;
            yield return PlattCalibrator.Fit(p, Train.Labels.Span);
            yield return IsotonicCalibrator.Fit(p, Train.Labels.Span);
        }
    }
}
