using FsCheck;
using FsCheck.Fluent;
using PatternQuality.Calibration;

namespace PatternQuality.Tests.Properties;

/// <summary>A calibrator must keep the ranking (monotone) and return probabilities, whatever it was fitted on.</summary>
public class CalibratorProperties
{
    private static readonly float[] _grid = [.. Enumerable.Range(0, 101).Select(i => i / 100f)];

    [Fact]
    public void Isotonic_IsNonDecreasing_AndReturnsProbabilities()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            var calibrator = IsotonicCalibrator.Fit(x.Scores, x.Labels);
            var outputs = _grid.Select(calibrator.Calibrate).ToArray();
            return IsProbability(outputs) && IsMonotone(outputs, direction: 1);
        }));

    [Fact]
    public void Platt_IsMonotone_AndReturnsProbabilities()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            var calibrator = PlattCalibrator.Fit(x.Scores, x.Labels);
            var outputs = _grid.Select(calibrator.Calibrate).ToArray();
            return IsProbability(outputs) && (IsMonotone(outputs, direction: 1) || IsMonotone(outputs, direction: -1));
        }));

    [Fact]
    public void SpanOverload_AgreesWithSingleValues()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            Calibrator calibrator = IsotonicCalibrator.Fit(x.Scores, x.Labels);
            var batch = new float[x.Scores.Length];
            calibrator.Calibrate(x.Scores, batch);
            return batch.SequenceEqual(x.Scores.Select(calibrator.Calibrate));
        }));

    private static bool IsProbability(float[] values) => values.All(v => v is >= 0 and <= 1);

    private static bool IsMonotone(float[] values, int direction)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (direction * (values[i] - values[i - 1]) < -1e-6f)
            {
                return false;
            }
        }

        return true;
    }
}
