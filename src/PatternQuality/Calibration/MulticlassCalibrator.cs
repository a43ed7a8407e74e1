using PatternQuality.Calibration.Internal;

namespace PatternQuality.Calibration;

/// <summary>
/// Calibrates a multiclass model: probabilities = softmax(scale * raw + offset), with one temperature for all classes
/// (<see cref="MulticlassCalibrationMethod.Temperature"/>) or a scale and offset per class
/// (<see cref="MulticlassCalibrationMethod.Vector"/>), fitted by minimising log loss. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Fit it on out-of-fold raw scores (see <see cref="MulticlassCalibrationFitter"/>), never on scores of rows the model
/// trained on: those are over-confident, and a calibrator fitted on them sharpens instead of softening.
/// </remarks>
public sealed class MulticlassCalibrator
{
    private readonly double[] _scales;
    private readonly double[] _offsets;

    internal MulticlassCalibrator(MulticlassCalibrationMethod method, double[] scales, double[] offsets)
    {
        Method = method;
        _scales = scales;
        _offsets = offsets;
    }

    /// <summary>Gets the method.</summary>
    public MulticlassCalibrationMethod Method { get; }

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount => _scales.Length;

    /// <summary>Gets the scale of each class's raw score (1 / temperature for temperature scaling).</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>Gets the offset added to each class's scaled raw score (0 for temperature scaling).</summary>
    public IReadOnlyList<double> Offsets => _offsets;

    /// <summary>Returns a calibrator that leaves the model's softmax unchanged.</summary>
    /// <param name="classCount">The number of classes, at least 2.</param>
    /// <returns>The identity calibrator.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 2.</exception>
    public static MulticlassCalibrator Identity(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        return new MulticlassCalibrator(MulticlassCalibrationMethod.None, Enumerable.Repeat(1.0, classCount).ToArray(), new double[classCount]);
    }

    /// <summary>Fits temperature or vector scaling on raw scores by minimising log loss (Newton's method; the problem is convex).</summary>
    /// <param name="rawScores">Row-major raw (softmax input) scores, <paramref name="classCount"/> per row, from a model that did not train on the rows.</param>
    /// <param name="labels">Class indexes 0 .. classCount - 1.</param>
    /// <param name="classCount">The number of classes, at least 2.</param>
    /// <param name="method"><see cref="MulticlassCalibrationMethod.None"/>, <see cref="MulticlassCalibrationMethod.Temperature"/> or <see cref="MulticlassCalibrationMethod.Vector"/>.</param>
    /// <returns>The calibrator.</returns>
    /// <exception cref="ArgumentException">Lengths disagree, there are no rows, a label is not a class index, or a score is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is undefined or <see cref="MulticlassCalibrationMethod.Auto"/>.</exception>
    public static MulticlassCalibrator Fit(ReadOnlySpan<double> rawScores, ReadOnlySpan<float> labels, int classCount, MulticlassCalibrationMethod method)
    {
        ScalingFit.Check(rawScores, labels, classCount);
        return method switch
        {
            MulticlassCalibrationMethod.None => Identity(classCount),
            MulticlassCalibrationMethod.Temperature => ScalingFit.Temperature(rawScores, labels, classCount),
            MulticlassCalibrationMethod.Vector => ScalingFit.Vector(rawScores, labels, classCount),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "method must be None, Temperature or Vector (Auto is chosen by MulticlassCalibrationFitter)."),
        };
    }

    /// <summary>Writes the calibrated probabilities of one row; allocates nothing.</summary>
    /// <param name="rawScores">The row's <see cref="ClassCount"/> raw scores.</param>
    /// <param name="probabilities">Receives <see cref="ClassCount"/> probabilities summing to 1.</param>
    /// <exception cref="ArgumentException">A span's length is not <see cref="ClassCount"/>.</exception>
    public void Calibrate(ReadOnlySpan<double> rawScores, Span<float> probabilities)
    {
        var k = ClassCount;
        if (rawScores.Length != k || probabilities.Length != k)
        {
            throw new ArgumentException($"Calibrating one row needs {k} raw scores and room for {k} probabilities; got {rawScores.Length} and {probabilities.Length}.", nameof(rawScores));
        }

        Span<double> z = k <= 128 ? stackalloc double[k] : new double[k];
        for (var c = 0; c < k; c++)
        {
            z[c] = (_scales[c] * rawScores[c]) + _offsets[c];
        }

        ScalingFit.Softmax(z);
        for (var c = 0; c < k; c++)
        {
            probabilities[c] = (float)z[c];
        }
    }
}
