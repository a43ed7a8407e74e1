using PatternQuality.Calibration.Internal;

namespace PatternQuality.Calibration;

/// <summary>
/// Isotonic regression of the label on the model's log-odds (pool-adjacent-violators), with scikit-learn 1.2.1's
/// <c>IsotonicRegression(out_of_bounds="clip")</c> semantics: tied inputs are averaged (weighted), outputs are
/// linearly interpolated between fitted points, and inputs outside the fitted range take the end values.
/// </summary>
/// <remarks>Needs many rows to be reliable; <see cref="CalibrationMethod.Auto"/> considers it only from 1,000 rows.</remarks>
public sealed class IsotonicCalibrator : Calibrator
{
    private readonly double[] _x;
    private readonly double[] _y;

    internal IsotonicCalibrator(double[] x, double[] y)
    {
        _x = x;
        _y = y;
    }

    /// <summary>Gets the number of fitted points (the steps of the calibration curve).</summary>
    public int PointCount => _x.Length;

    /// <summary>Gets the fitted points' inputs (log-odds), strictly increasing; for exporters.</summary>
    internal ReadOnlySpan<double> PointInputs => _x;

    /// <summary>Gets the fitted points' calibrated probabilities, non-decreasing; for exporters.</summary>
    internal ReadOnlySpan<double> PointOutputs => _y;

    /// <inheritdoc />
    public override CalibrationMethod Method => CalibrationMethod.Isotonic;

    /// <summary>Fits isotonic calibration to held-out (out-of-fold) probabilities; never fit on training predictions.</summary>
    /// <param name="probabilities">Raw model probabilities in [0, 1].</param>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="weights">One weight per row, or empty; rows with weight 0 are ignored.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1, a probability is NaN or outside [0, 1], or weights are invalid.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        var (x, y, w) = CalibrationInput.FromProbabilities(probabilities, labels, weights);
        return FitScores(x, y, w);
    }

    /// <summary>Fits on raw scores, as scikit-learn's <c>IsotonicRegression.fit</c> does.</summary>
    internal static IsotonicCalibrator FitScores(double[] x, double[] y, double[]? w)
    {
        var rows = Enumerable.Range(0, x.Length).Where(i => w is null || w[i] > 0).ToArray();
        Array.Sort(rows, (i, j) => x[i] != x[j] ? x[i].CompareTo(x[j]) : y[i].CompareTo(y[j]));

        // Merge equal inputs into one point with the weighted mean label.
        var ux = new List<double>();
        var sumWy = new List<double>();
        var sumW = new List<double>();
        foreach (var i in rows)
        {
            var wi = w?[i] ?? 1.0;
            if (ux.Count > 0 && ux[^1] == x[i])
            {
                sumWy[^1] += wi * y[i];
                sumW[^1] += wi;
            }
            else
            {
                ux.Add(x[i]);
                sumWy.Add(wi * y[i]);
                sumW.Add(wi);
            }
        }

        // Pool adjacent violators: a stack of blocks, each merged with its predecessor while their means decrease.
        var n = ux.Count;
        var blockWy = new double[n];
        var blockW = new double[n];
        var blockEnd = new int[n];
        var top = -1;
        for (var i = 0; i < n; i++)
        {
            top++;
            blockWy[top] = sumWy[i];
            blockW[top] = sumW[i];
            blockEnd[top] = i;
            while (top > 0 && blockWy[top - 1] / blockW[top - 1] >= blockWy[top] / blockW[top])
            {
                blockWy[top - 1] += blockWy[top];
                blockW[top - 1] += blockW[top];
                blockEnd[top - 1] = blockEnd[top];
                top--;
            }
        }

        var fitted = new double[n];
        var start = 0;
        for (var b = 0; b <= top; b++)
        {
            var mean = blockWy[b] / blockW[b];
            for (var i = start; i <= blockEnd[b]; i++)
            {
                fitted[i] = mean;
            }

            start = blockEnd[b] + 1;
        }

        // Keep the ends of each flat run only: interior points do not change the interpolation.
        var keepX = new List<double>(n);
        var keepY = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            if (i == 0 || i == n - 1 || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1])
            {
                keepX.Add(ux[i]);
                keepY.Add(fitted[i]);
            }
        }

        return new IsotonicCalibrator(keepX.ToArray(), keepY.ToArray());
    }

    internal static IsotonicCalibrator ReadBody(BinaryReader reader)
    {
        // Each point takes 16 bytes: the count is checked against what is left before the arrays are allocated.
        var count = Serialization.ModelFileReader.ReadCount(reader, 16, "isotonic calibrator points");
        if (count < 1 || count > 100_000_000)
        {
            throw new PatternQualityException($"Isotonic calibrator point count {count} is out of range; the model file is corrupt.");
        }

        var x = new double[count];
        var y = new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = reader.ReadDouble();
            y[i] = reader.ReadDouble();
            // y is a probability and the fit is non-decreasing; anything else would score outside [0, 1] or out of order.
            if (!double.IsFinite(x[i]) || !(y[i] >= 0 && y[i] <= 1) || (i > 0 && (x[i] <= x[i - 1] || y[i] < y[i - 1])))
            {
                throw new PatternQualityException($"Isotonic calibrator point {i} ({x[i]}, {y[i]}) is invalid; the model file is corrupt.");
            }
        }

        return new IsotonicCalibrator(x, y);
    }

    internal override double CalibrateLogit(double logit)
    {
        if (_x.Length == 1)
        {
            return _y[0];
        }

        var v = Math.Clamp(logit, _x[0], _x[^1]);

        // searchsorted(x, v, side="left"), clipped to [1, n - 1], then the straight line between the two neighbours.
        var hi = Array.BinarySearch(_x, v);
        if (hi < 0)
        {
            hi = ~hi;
        }

        hi = Math.Clamp(hi, 1, _x.Length - 1);
        var lo = hi - 1;
        var slope = (_y[hi] - _y[lo]) / (_x[hi] - _x[lo]);
        return (slope * (v - _x[lo])) + _y[lo];
    }

    private protected override void WriteBody(BinaryWriter writer)
    {
        writer.Write(_x.Length);
        for (var i = 0; i < _x.Length; i++)
        {
            writer.Write(_x[i]);
            writer.Write(_y[i]);
        }
    }
}
