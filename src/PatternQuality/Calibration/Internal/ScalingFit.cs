namespace PatternQuality.Calibration.Internal;

/// <summary>Temperature and vector scaling fits: damped Newton on the (convex) multinomial log loss of scaled raw scores.</summary>
internal static class ScalingFit
{
    private const int MaxIterations = 100;

    /// <summary>
    /// A tiny ridge towards the identity (scale 1, offset 0), per row. Softmax ignores a shift common to all offsets,
    /// so without it the Hessian is singular; at 1e-6 it changes no probability that matters.
    /// </summary>
    private const double Ridge = 1e-6;

    public static void Check(ReadOnlySpan<double> raw, ReadOnlySpan<float> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (labels.Length == 0)
        {
            throw new ArgumentException("There are no rows to fit a calibrator on.", nameof(labels));
        }

        if (raw.Length != (long)labels.Length * classCount)
        {
            throw new ArgumentException($"{raw.Length} raw scores are not {labels.Length} rows of {classCount} classes.", nameof(raw));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (!(y >= 0 && y < classCount && y == MathF.Floor(y)))
            {
                throw new ArgumentException($"Label {y} of row {i} is not a class index from 0 to {classCount - 1}.", nameof(labels));
            }
        }

        foreach (var s in raw)
        {
            if (!double.IsFinite(s))
            {
                throw new ArgumentException("A raw score is NaN or infinite.", nameof(raw));
            }
        }
    }

    /// <summary>In-place, overflow-safe softmax.</summary>
    public static void Softmax(Span<double> z)
    {
        var max = double.NegativeInfinity;
        foreach (var v in z)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (var c = 0; c < z.Length; c++)
        {
            z[c] = Math.Exp(z[c] - max);
            sum += z[c];
        }

        for (var c = 0; c < z.Length; c++)
        {
            z[c] /= sum;
        }
    }

    /// <summary>Mean negative log-likelihood of softmax(scale * raw + offset), probabilities clipped as scikit-learn does.</summary>
    public static double LogLoss(ReadOnlySpan<double> raw, ReadOnlySpan<float> labels, int k, ReadOnlySpan<double> scales, ReadOnlySpan<double> offsets)
    {
        Span<double> z = k <= 128 ? stackalloc double[k] : new double[k];
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = raw.Slice(i * k, k);
            for (var c = 0; c < k; c++)
            {
                z[c] = (scales[c] * row[c]) + offsets[c];
            }

            Softmax(z);
            total -= Math.Log(Math.Clamp(z[(int)labels[i]], 1e-15, 1 - 1e-15));
        }

        return total / labels.Length;
    }

    public static MulticlassCalibrator Temperature(ReadOnlySpan<double> raw, ReadOnlySpan<float> labels, int k)
    {
        var n = labels.Length;
        var scale = 1.0;
        var zeros = new double[k];
        var scales = new double[k];
        Span<double> z = k <= 128 ? stackalloc double[k] : new double[k];
        double Loss(ReadOnlySpan<double> r, ReadOnlySpan<float> y, double a)
        {
            Array.Fill(scales, a);
            return LogLoss(r, y, k, scales, zeros) + (Ridge * 0.5 * (a - 1) * (a - 1));
        }

        var loss = Loss(raw, labels, scale);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            double g = 0, h = 0;
            for (var i = 0; i < n; i++)
            {
                var row = raw.Slice(i * k, k);
                for (var c = 0; c < k; c++)
                {
                    z[c] = scale * row[c];
                }

                Softmax(z);
                double mean = 0, second = 0;
                for (var c = 0; c < k; c++)
                {
                    mean += z[c] * row[c];
                    second += z[c] * row[c] * row[c];
                }

                g += mean - row[(int)labels[i]];
                h += second - (mean * mean);
            }

            g = (g / n) + (Ridge * (scale - 1));
            h = (h / n) + Ridge;
            var step = g / h;
            var t = 1.0;
            var improved = false;
            for (var halving = 0; halving < 40; halving++)
            {
                var candidate = scale - (t * step);
                if (candidate > 0)
                {
                    var l = Loss(raw, labels, candidate);
                    if (l <= loss)
                    {
                        improved = loss - l > 1e-13 || Math.Abs(t * step) > 1e-10;
                        scale = candidate;
                        loss = l;
                        break;
                    }
                }

                t *= 0.5;
            }

            if (!improved)
            {
                break;
            }
        }

        return new MulticlassCalibrator(MulticlassCalibrationMethod.Temperature, Enumerable.Repeat(scale, k).ToArray(), new double[k]);
    }

    public static MulticlassCalibrator Vector(ReadOnlySpan<double> raw, ReadOnlySpan<float> labels, int k)
    {
        var n = labels.Length;
        var m = 2 * k;
        var scales = Enumerable.Repeat(1.0, k).ToArray();
        var offsets = new double[k];
        var trialScales = new double[k];
        var trialOffsets = new double[k];
        var gradient = new double[m];
        var hessian = new double[m * m];
        var step = new double[m];
        Span<double> z = k <= 128 ? stackalloc double[k] : new double[k];

        double Penalty(double[] a, double[] b)
        {
            double s = 0;
            for (var c = 0; c < k; c++)
            {
                s += ((a[c] - 1) * (a[c] - 1)) + (b[c] * b[c]);
            }

            return Ridge * 0.5 * s;
        }

        var loss = LogLoss(raw, labels, k, scales, offsets) + Penalty(scales, offsets);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var i = 0; i < n; i++)
            {
                var row = raw.Slice(i * k, k);
                for (var c = 0; c < k; c++)
                {
                    z[c] = (scales[c] * row[c]) + offsets[c];
                }

                Softmax(z);
                var y = (int)labels[i];
                for (var c = 0; c < k; c++)
                {
                    var r = z[c] - (c == y ? 1 : 0);
                    gradient[c] += r * row[c];
                    gradient[k + c] += r;
                    for (var d = 0; d < k; d++)
                    {
                        var w = z[c] * ((c == d ? 1 : 0) - z[d]);
                        hessian[(c * m) + d] += w * row[c] * row[d];
                        hessian[(c * m) + k + d] += w * row[c];
                        hessian[((k + c) * m) + d] += w * row[d];
                        hessian[((k + c) * m) + k + d] += w;
                    }
                }
            }

            for (var p = 0; p < m; p++)
            {
                gradient[p] = (gradient[p] / n) + (Ridge * (p < k ? scales[p] - 1 : offsets[p - k]));
                for (var q = 0; q < m; q++)
                {
                    hessian[(p * m) + q] /= n;
                }

                hessian[(p * m) + p] += Ridge;
            }

            if (!CholeskySolve(hessian, gradient, step, m))
            {
                // Not positive definite in floating point: fall back to a gradient step, which the line search scales.
                gradient.CopyTo(step, 0);
            }

            var t = 1.0;
            var improved = false;
            for (var halving = 0; halving < 40; halving++)
            {
                for (var c = 0; c < k; c++)
                {
                    trialScales[c] = scales[c] - (t * step[c]);
                    trialOffsets[c] = offsets[c] - (t * step[k + c]);
                }

                var l = LogLoss(raw, labels, k, trialScales, trialOffsets) + Penalty(trialScales, trialOffsets);
                if (l <= loss)
                {
                    improved = loss - l > 1e-13;
                    trialScales.CopyTo(scales, 0);
                    trialOffsets.CopyTo(offsets, 0);
                    loss = l;
                    break;
                }

                t *= 0.5;
            }

            if (!improved)
            {
                break;
            }
        }

        return new MulticlassCalibrator(MulticlassCalibrationMethod.Vector, scales, offsets);
    }

    /// <summary>Solves H x = g for symmetric positive definite H (m x m, row-major); false when H is not positive definite.</summary>
    private static bool CholeskySolve(double[] h, double[] g, double[] x, int m)
    {
        var l = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = h[(i * m) + j];
                for (var p = 0; p < j; p++)
                {
                    sum -= l[(i * m) + p] * l[(j * m) + p];
                }

                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        return false;
                    }

                    l[(i * m) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * m) + j] = sum / l[(j * m) + j];
                }
            }
        }

        var y = new double[m];
        for (var i = 0; i < m; i++)
        {
            var sum = g[i];
            for (var p = 0; p < i; p++)
            {
                sum -= l[(i * m) + p] * y[p];
            }

            y[i] = sum / l[(i * m) + i];
        }

        for (var i = m - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var p = i + 1; p < m; p++)
            {
                sum -= l[(p * m) + i] * x[p];
            }

            x[i] = sum / l[(i * m) + i];
        }

        return true;
    }
}
