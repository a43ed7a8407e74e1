using PatternQuality.Calibration;
using PatternQuality.Evaluation;
using PatternQuality.Tests.Trees;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Calibration;

public class MulticlassCalibratorTests
{
    /// <summary>Labels drawn from softmax(raw / 2): temperature scaling must find scale 0.5, vector scaling scales near 0.5.</summary>
    [Fact]
    public void Fit_OverconfidentScores_RecoversTheTemperature()
    {
        var (raw, labels) = Overconfident(20_000, k: 3, temperature: 2.0, seed: 3);

        var temperature = MulticlassCalibrator.Fit(raw, labels, 3, MulticlassCalibrationMethod.Temperature);
        var vector = MulticlassCalibrator.Fit(raw, labels, 3, MulticlassCalibrationMethod.Vector);

        Assert.Equal(MulticlassCalibrationMethod.Temperature, temperature.Method);
        Assert.All(temperature.Scales, s => Assert.Equal(0.5, s, 0.03));
        Assert.All(temperature.Offsets, o => Assert.Equal(0, o));
        Assert.All(vector.Scales, s => Assert.Equal(0.5, s, 0.06));
        Assert.All(vector.Offsets, o => Assert.Equal(0, o, 0.06));

        var before = LogLoss(MulticlassCalibrator.Identity(3), raw, labels);
        Assert.True(LogLoss(temperature, raw, labels) < before - 0.01);
        Assert.True(LogLoss(vector, raw, labels) <= LogLoss(temperature, raw, labels) + 1e-9);
    }

    [Fact]
    public void Fit_ShiftedClass_VectorScalingCorrectsTheOffsetAndAutoChoosesIt()
    {
        // The model under-rates class 2 by 1.0 in raw score: only per-class offsets can fix that.
        var (raw, labels) = Overconfident(20_000, k: 3, temperature: 1.0, seed: 5);
        for (var i = 0; i < labels.Length; i++)
        {
            raw[(i * 3) + 2] -= 1.0;
        }

        var result = MulticlassCalibrationFitter.Fit(raw, labels, 3, MulticlassCalibrationMethod.Auto);

        Assert.Equal(MulticlassCalibrationMethod.Vector, result.Calibrator.Method);
        Assert.Equal(1.0, result.Calibrator.Offsets[2] - result.Calibrator.Offsets[0], 0.1);
        Assert.True(result.Candidates[MulticlassCalibrationMethod.Vector] < result.Candidates[MulticlassCalibrationMethod.None]);
        Assert.Equal(3, result.Candidates.Count);
    }

    [Fact]
    public void Fit_CalibratedScores_AutoKeepsNone()
    {
        var (raw, labels) = Overconfident(5_000, k: 4, temperature: 1.0, seed: 7);
        var result = MulticlassCalibrationFitter.Fit(raw, labels, 4);
        Assert.Equal(MulticlassCalibrationMethod.None, result.Calibrator.Method);
    }

    [Fact]
    public void FitOutOfFold_GradientBoosting_ImprovesHeldOutLogLossOrKeepsIt()
    {
        var train = SyntheticData.ThreeClasses(3000, seed: 21);
        var test = SyntheticData.ThreeClasses(2000, seed: 22);
        var learner = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 60, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 2, Seed = 1 });
        var model = learner.FitMulticlass(train);

        var result = MulticlassCalibrationFitter.FitOutOfFold(learner, train, folds: 3, seed: 2);

        var k = model.ClassCount;
        var raw = new double[k];
        var before = new float[test.RowCount * k];
        var after = new float[test.RowCount * k];
        for (var i = 0; i < test.RowCount; i++)
        {
            model.PredictClassProbabilities(test.GetRow(i), before.AsSpan(i * k, k));
            model.PredictRaw(test.GetRow(i), raw);
            result.Calibrator.Calibrate(raw, after.AsSpan(i * k, k));
        }

        var labels = test.Labels.Span;
        Assert.True(
            MulticlassMetrics.LogLoss(labels, after, k) <= MulticlassMetrics.LogLoss(labels, before, k) + 0.002,
            $"calibrated {MulticlassMetrics.LogLoss(labels, after, k)} vs {MulticlassMetrics.LogLoss(labels, before, k)} ({result.Calibrator.Method})");
        Assert.Equal(3, result.Candidates.Count);
    }

    [Fact]
    public void Fit_BadInput_ThrowsClearExceptions()
    {
        Assert.Throws<ArgumentException>(() => MulticlassCalibrator.Fit(new double[6], new float[3], 3, MulticlassCalibrationMethod.Temperature));
        Assert.Throws<ArgumentException>(() => MulticlassCalibrator.Fit(new double[3], [3f], 3, MulticlassCalibrationMethod.Temperature));
        Assert.Throws<ArgumentException>(() => MulticlassCalibrator.Fit([double.NaN, 0, 0], [0f], 3, MulticlassCalibrationMethod.Temperature));
        Assert.Throws<ArgumentException>(() => MulticlassCalibrator.Fit([], [], 3, MulticlassCalibrationMethod.Vector));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassCalibrator.Fit(new double[3], [0f], 3, MulticlassCalibrationMethod.Auto));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassCalibrator.Identity(1));
        Assert.Throws<ArgumentException>(() => MulticlassCalibrator.Identity(3).Calibrate(new double[2], new float[3]));
        var learner = new GradientBoostingLearner();
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassCalibrationFitter.FitOutOfFold(learner, SyntheticData.ThreeClasses(10), folds: 1));
        Assert.Throws<ArgumentException>(() => MulticlassCalibrationFitter.FitOutOfFold(learner, SyntheticData.ThreeClasses(3), folds: 5));
    }

    private static double LogLoss(MulticlassCalibrator calibrator, double[] raw, float[] labels)
    {
        var k = calibrator.ClassCount;
        var p = new float[raw.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            calibrator.Calibrate(raw.AsSpan(i * k, k), p.AsSpan(i * k, k));
        }

        return MulticlassMetrics.LogLoss(labels, p, k);
    }

    private static (double[] Raw, float[] Labels) Overconfident(int n, int k, double temperature, int seed)
    {
        var random = new Random(seed);
        var raw = new double[n * k];
        var labels = new float[n];
        var p = new double[k];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var c = 0; c < k; c++)
            {
                raw[(i * k) + c] = 3 * ((random.NextDouble() * 2) - 1);
                p[c] = Math.Exp(raw[(i * k) + c] / temperature);
                sum += p[c];
            }

            var u = random.NextDouble() * sum;
            var y = 0;
            while (y < k - 1 && (u -= p[y]) > 0)
            {
                y++;
            }

            labels[i] = y;
        }

        return (raw, labels);
    }
}
