using PatternQuality.Calibration;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Calibration;

public class IsotonicCalibratorTests
{
    public static TheoryData<string> CaseNames() => ["unweighted", "weighted", "ties"];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FitScores_GoldenCase_MatchesScikitLearnIsotonicRegression(string name)
    {
        var c = Cases("calibrators.json").Single(e => e.GetProperty("name").GetString() == name);
        var x = Doubles(c.GetProperty("x")).Select(v => (double)(float)v).ToArray();
        var y = Doubles(c.GetProperty("y"));
        var w = c.GetProperty("weights").ValueKind == System.Text.Json.JsonValueKind.Array
            ? Doubles(c.GetProperty("weights")).Select(v => (double)(float)v).ToArray()
            : null;

        var sut = IsotonicCalibrator.FitScores(x, y, w);

        var evalX = Doubles(c.GetProperty("eval_x"));
        var expected = Doubles(c.GetProperty("isotonic_out"));
        for (var i = 0; i < evalX.Length; i++)
        {
            Near(expected[i], sut.CalibrateLogit((float)evalX[i]), 1e-6, $"{name} output {i}");
        }
    }

    [Fact]
    public void Fit_Decreasing_PoolsIntoTheMean()
    {
        var sut = IsotonicCalibrator.Fit([0.1f, 0.2f, 0.3f], [1, 0, 0]);

        Assert.Equal(1f / 3, sut.Calibrate(0.2f), 6);
        Assert.Equal(1f / 3, sut.Calibrate(0.99f), 6);
    }

    [Fact]
    public void Calibrate_OutsideTheFittedRange_Clips()
    {
        var sut = IsotonicCalibrator.Fit([0.2f, 0.4f, 0.6f, 0.8f], [0, 0, 1, 1]);

        Assert.Equal(0f, sut.Calibrate(0.01f));
        Assert.Equal(1f, sut.Calibrate(0.99f));
        Assert.True(float.IsNaN(sut.Calibrate(float.NaN)));
    }

    [Fact]
    public void Fit_AllWeightsZero_Throws()
    {
        Assert.Throws<ArgumentException>(() => IsotonicCalibrator.Fit([0.2f, 0.4f], [0, 1], [0f, 0f]));
    }

    [Fact]
    public void WriteTo_ThenReadFrom_RoundTrips()
    {
        var sut = IsotonicCalibrator.Fit([0.1f, 0.4f, 0.6f, 0.9f, 0.7f], [0, 0, 1, 1, 0]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            sut.WriteTo(w);
        }

        ms.Position = 0;
        using var r = new BinaryReader(ms);
        var back = Calibrator.ReadFrom(r);

        foreach (var p in new[] { 0.05f, 0.3f, 0.5f, 0.65f, 0.8f, 0.95f })
        {
            Assert.Equal(sut.Calibrate(p), back.Calibrate(p));
        }
    }

    [Fact]
    public void ReadFrom_UnknownVersion_ThrowsPatternQualityException()
    {
        using var ms = new MemoryStream([99, 2]);
        using var r = new BinaryReader(ms);

        var ex = Assert.Throws<PatternQualityException>(() => Calibrator.ReadFrom(r));
        Assert.Contains("version 99", ex.Message, StringComparison.Ordinal);
    }
}
