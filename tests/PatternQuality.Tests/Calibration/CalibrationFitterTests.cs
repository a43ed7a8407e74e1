using PatternQuality.Calibration;
using PatternQuality.Evaluation;
using PatternQuality.Tests.Validation.Fakes;

namespace PatternQuality.Tests.Calibration;

public class CalibrationFitterTests
{
    [Fact]
    public void FitOutOfFold_Auto_OverconfidentModel_ChoosesACalibratorThatLowersBrier()
    {
        var data = SyntheticData.Create(3000, seed: 3);
        var learner = new FunctionLearner(r => 1f / (1f + MathF.Exp(-6f * r[0])));

        var result = CalibrationFitter.FitOutOfFold(learner, data, CalibrationMethod.Auto, folds: 5, seed: 1);

        Assert.Equal(5, learner.FitCount);
        Assert.All(learner.TrainSizes, n => Assert.Equal(2400, n));
        Assert.NotEqual(CalibrationMethod.None, result.Method);
        var none = result.Candidates.Single(c => c.Method == CalibrationMethod.None);
        var chosen = result.Candidates.Single(c => c.Method == result.Method);
        Assert.True(chosen.Score < none.Score);
        Assert.True(chosen.Auc >= none.Auc - CalibrationFitter.MaximumAucLoss);
    }

    [Fact]
    public void Fit_Auto_FewerThanAThousandRows_NeverConsidersIsotonic()
    {
        var data = SyntheticData.Create(600, seed: 4);
        var p = Enumerable.Range(0, data.RowCount).Select(i => 1f / (1f + MathF.Exp(-6f * data.GetRow(i)[0]))).ToArray();

        var result = CalibrationFitter.Fit(p, data.Labels.Span);

        var iso = result.Candidates.Single(c => c.Method == CalibrationMethod.Isotonic);
        Assert.False(iso.Eligible);
        Assert.NotEqual(CalibrationMethod.Isotonic, result.Method);
    }

    [Fact]
    public void Fit_Auto_AlreadyCalibratedModel_KeepsItCalibrated()
    {
        var data = SyntheticData.Create(3000, seed: 5);
        var p = Enumerable.Range(0, data.RowCount).Select(i => SyntheticData.TrueProbability(data.GetRow(i))).ToArray();

        var result = CalibrationFitter.Fit(p, data.Labels.Span, criterion: CalibrationCriterion.LogLoss);
        var calibrated = new float[p.Length];
        result.Calibrator.Calibrate(p, calibrated);

        Assert.True(BinaryMetrics.ExpectedCalibrationError(data.Labels.Span, calibrated) < 0.04);
    }

    [Fact]
    public void Fit_ExplicitMethod_FitsThatMethod()
    {
        var result = CalibrationFitter.Fit([0.1f, 0.9f, 0.3f, 0.7f], [0, 1, 0, 1], method: CalibrationMethod.Platt);

        Assert.IsType<PlattCalibrator>(result.Calibrator);
        Assert.Equal(CalibrationMethod.Platt, result.Requested);
    }

    [Fact]
    public void Fit_UndefinedMethod_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationFitter.Fit([0.1f], [0], method: (CalibrationMethod)42));
    }

    [Fact]
    public void FitOutOfFold_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => CalibrationFitter.FitOutOfFold(
            new FunctionLearner(_ => 0.5f), SyntheticData.Create(100, 1), cancellationToken: cts.Token));
    }
}
