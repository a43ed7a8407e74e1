using PatternQuality.Calibration;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Calibration;

public class PlattCalibratorTests
{
    public static TheoryData<string> CaseNames() => ["unweighted", "weighted", "ties"];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FitScores_GoldenCase_MatchesScikitLearnSigmoidCalibration(string name)
    {
        var c = Cases("calibrators.json").Single(e => e.GetProperty("name").GetString() == name);
        var x = Doubles(c.GetProperty("x"));
        var y = Doubles(c.GetProperty("y"));
        var w = c.GetProperty("weights").ValueKind == System.Text.Json.JsonValueKind.Array ? Doubles(c.GetProperty("weights")) : null;

        var sut = PlattCalibrator.FitScores(x.Select(v => (double)(float)v).ToArray(), y, w?.Select(v => (double)(float)v).ToArray());

        Near(c.GetProperty("platt_a").GetDouble(), sut.A, 1e-6, $"{name} A");
        Near(c.GetProperty("platt_b").GetDouble(), sut.B, 1e-6, $"{name} B");
        var evalX = Doubles(c.GetProperty("eval_x"));
        var expected = Doubles(c.GetProperty("platt_out"));
        for (var i = 0; i < evalX.Length; i++)
        {
            Near(expected[i], sut.CalibrateLogit((float)evalX[i]), 1e-6, $"{name} output {i}");
        }
    }

    [Fact]
    public void Fit_OverconfidentProbabilities_PullsThemTowardsTheTruth()
    {
        // True probability sigmoid(z) but the model says sigmoid(3z): Platt should find A close to -1/3.
        var random = new Random(1);
        var n = 5000;
        var p = new float[n];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            var z = (random.NextDouble() * 6) - 3;
            p[i] = (float)(1 / (1 + Math.Exp(-3 * z)));
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }

        var sut = PlattCalibrator.Fit(p, y);

        Assert.InRange(sut.A, -0.4, -0.27);
        Assert.InRange(sut.Calibrate(0.9525741f), 0.6, 0.8);
    }

    [Fact]
    public void Fit_AllScoresEqual_GivesTheSmoothedBaseRate()
    {
        var sut = PlattCalibrator.Fit([0.5f, 0.5f, 0.5f, 0.5f], [1, 1, 1, 0]);

        // Only the intercept is identifiable; the fit matches the mean of Platt's targets.
        var expected = ((3 * (4.0 / 5)) + (1.0 / 3)) / 4;
        Assert.Equal(expected, sut.Calibrate(0.5f), 5);
    }

    [Fact]
    public void Fit_NaNProbability_ThrowsNamingTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => PlattCalibrator.Fit([0.5f, float.NaN], [1, 0]));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => PlattCalibrator.Fit([], []));
    }

    [Fact]
    public void WriteTo_ThenReadFrom_RoundTrips()
    {
        var sut = PlattCalibrator.Fit([0.1f, 0.4f, 0.6f, 0.9f, 0.7f], [0, 0, 1, 1, 0]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            sut.WriteTo(w);
        }

        ms.Position = 0;
        using var r = new BinaryReader(ms);
        var back = Assert.IsType<PlattCalibrator>(Calibrator.ReadFrom(r));

        Assert.Equal(sut.A, back.A);
        Assert.Equal(sut.B, back.B);
    }
}
