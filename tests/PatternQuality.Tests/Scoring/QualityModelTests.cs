using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Serialization;
using PatternQuality.Tests.Trees;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Scoring;

public class QualityModelTests
{
    private static readonly Lazy<(QualityModel Model, Dataset Test)> _trained = new(() =>
    {
        var (train, test) = TestData.Coupon;
        var predictor = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 20, Seed = 1 }).Fit(train);
        var raw = TestData.Predict(predictor, train);
        var calibrator = PlattCalibrator.Fit(raw, train.Labels.Span);
        var history = new HistoryState();
        history.Observe("user.history", "u1", 1f);
        var info = new ModelInfo(predictor.Schema, "gbdt") { Version = "v1", Metrics = new Dictionary<string, double> { ["auc"] = 0.8 } };
        // Columns that rebuild the schema: a mapping that does not is rejected at load (issue 18).
        var columns = predictor.Schema.Features
            .Select(f => new RowColumn(f.Name, f.Kind == FeatureKind.Categorical ? RowColumnKind.Categorical : RowColumnKind.Numeric))
            .ToArray();
        return (new QualityModel(predictor, calibrator, info, history, columns), test);
    });

    [Fact]
    public void Score_CouponRows_AppliesCalibratorToPredictorProbability()
    {
        var (sut, test) = _trained.Value;
        var row = test.GetRow(0);
        var expected = sut.Calibrator.Calibrate(sut.Predictor.PredictProbability(row));
        Assert.Equal(expected, sut.Score(row));
        Assert.InRange(sut.Score(row), 0f, 1f);
    }

    [Fact]
    public void Score_Batch_MatchesSingleRows()
    {
        var (sut, test) = _trained.Value;
        var rows = test.Select(Enumerable.Range(0, 50).ToArray());
        var batch = new float[50];
        sut.Score(rows.Features.Span, batch);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(sut.Score(rows.GetRow(i)), batch[i]);
        }
    }

    [Fact]
    public void Load_RoundTrip_ReproducesEveryScoreBitForBit()
    {
        var (sut, test) = _trained.Value;
        var loaded = QualityModel.Load(sut.ToBytes());

        Assert.Equal(sut.Info.Schema.Hash, loaded.Info.Schema.Hash);
        Assert.Equal("gbdt", loaded.Info.Trainer);
        Assert.Equal("v1", loaded.Info.Version);
        Assert.Equal(0.8, loaded.Info.Metrics["auc"]);
        Assert.Equal(CalibrationMethod.Platt, loaded.Calibrator.Method);
        Assert.NotNull(loaded.History);
        Assert.True(loaded.History!.TryGetCounts("user.history", "u1", out _, out var count));
        Assert.Equal(1, count);
        Assert.Equal(sut.Columns!.Select(c => c.Name), loaded.Columns!.Select(c => c.Name));
        for (var i = 0; i < test.RowCount; i++)
        {
            Assert.Equal(sut.Score(test.GetRow(i)), loaded.Score(test.GetRow(i)));
        }
    }

    [Fact]
    public void Load_FlippedByte_ThrowsModelFormatException()
    {
        var bytes = _trained.Value.Model.ToBytes();
        bytes[bytes.Length / 2] ^= 0x5A;
        Assert.Throws<ModelFormatException>(() => QualityModel.Load(bytes));
    }

    [Fact]
    public void Score_WrongLength_ThrowsArgumentExceptionNamingCounts()
    {
        var sut = _trained.Value.Model;
        var ex = Assert.Throws<ArgumentException>(() => sut.Score(new float[3]));
        Assert.Contains("3 values", ex.Message);
    }

    [Fact]
    public void CreateRowExtractor_NoColumns_ThrowsInvalidOperation()
    {
        var sut = _trained.Value.Model;
        var bare = new QualityModel(sut.Predictor);
        Assert.Throws<InvalidOperationException>(() => bare.CreateRowExtractor());
        Assert.Equal(CalibrationMethod.None, bare.Calibrator.Method);
    }
}
