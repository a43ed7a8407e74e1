using PatternQuality.Calibration.Internal;

namespace PatternQuality.Calibration;

/// <summary>
/// Platt scaling: calibrated = 1 / (1 + exp(A * logit(p) + B)), fitted as scikit-learn 1.2.1's sigmoid calibration
/// does (Platt's smoothed targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2), weighted log loss minimised exactly).
/// </summary>
public sealed class PlattCalibrator : Calibrator
{
    internal PlattCalibrator(double a, double b)
    {
        A = a;
        B = b;
    }

    /// <summary>Gets the slope A (negative when higher raw scores mean higher calibrated probability).</summary>
    public double A { get; }

    /// <summary>Gets the intercept B.</summary>
    public double B { get; }

    /// <inheritdoc />
    public override CalibrationMethod Method => CalibrationMethod.Platt;

    /// <summary>Fits Platt scaling to held-out (out-of-fold) probabilities; never fit on training predictions.</summary>
    /// <param name="probabilities">Raw model probabilities in [0, 1].</param>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1, a probability is NaN or outside [0, 1], or weights are invalid.</exception>
    public static PlattCalibrator Fit(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        var (x, y, w) = CalibrationInput.FromProbabilities(probabilities, labels, weights);
        return FitScores(x, y, w);
    }

    /// <summary>Fits on raw scores (log-odds or any decision values), as scikit-learn's <c>_sigmoid_calibration</c> does.</summary>
    internal static PlattCalibrator FitScores(double[] f, double[] y, double[]? w)
    {
        double prior0 = 0, prior1 = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var wi = w?[i] ?? 1.0;
            if (y[i] > 0)
            {
                prior1 += wi;
            }
            else
            {
                prior0 += wi;
            }
        }

        var hiTarget = (prior1 + 1.0) / (prior1 + 2.0);
        var loTarget = 1.0 / (prior0 + 2.0);
        var t = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            t[i] = y[i] > 0 ? hiTarget : loTarget;
        }

        // Newton's method with backtracking (Lin, Lin and Weng 2007): the loss is convex in (A, B), so this reaches the
        // optimum that scikit-learn's BFGS approaches, to far tighter tolerance.
        double a = 0, b = Math.Log((prior0 + 1.0) / (prior1 + 1.0));
        var loss = Loss(f, t, w, a, b);
        for (var iter = 0; iter < 200; iter++)
        {
            double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
            for (var i = 0; i < f.Length; i++)
            {
                var wi = w?[i] ?? 1.0;
                var p = LogOdds.Sigmoid(-((a * f[i]) + b));
                var d = wi * (t[i] - p);
                ga += d * f[i];
                gb += d;
                var h = wi * p * (1 - p);
                haa += h * f[i] * f[i];
                hab += h * f[i];
                hbb += h;
            }

            if (Math.Abs(ga) < 1e-11 && Math.Abs(gb) < 1e-11)
            {
                break;
            }

            var det = (haa * hbb) - (hab * hab);
            double da, db;
            if (det > 1e-300)
            {
                da = -((hbb * ga) - (hab * gb)) / det;
                db = -((haa * gb) - (hab * ga)) / det;
            }
            else
            {
                // All scores equal: only the intercept is identifiable.
                da = 0;
                db = -gb / hbb;
            }

            var step = 1.0;
            var improved = false;
            while (step >= 1e-10)
            {
                var na = a + (step * da);
                var nb = b + (step * db);
                var nl = Loss(f, t, w, na, nb);
                if (nl < loss + (1e-4 * step * ((ga * da) + (gb * db))))
                {
                    a = na;
                    b = nb;
                    improved = loss - nl > 1e-15 * Math.Max(1.0, Math.Abs(loss));
                    loss = nl;
                    break;
                }

                step /= 2;
            }

            if (!improved)
            {
                break;
            }
        }

        return new PlattCalibrator(a, b);
    }

    internal static PlattCalibrator ReadBody(BinaryReader reader)
    {
        var a = reader.ReadDouble();
        var b = reader.ReadDouble();
        if (!double.IsFinite(a) || !double.IsFinite(b))
        {
            throw new PatternQualityException($"Platt calibrator parameters ({a}, {b}) are not finite; the model file is corrupt.");
        }

        return new PlattCalibrator(a, b);
    }

    internal override double CalibrateLogit(double logit) => LogOdds.Sigmoid(-((A * logit) + B));

    private protected override void WriteBody(BinaryWriter writer)
    {
        writer.Write(A);
        writer.Write(B);
    }

    private static double Loss(double[] f, double[] t, double[]? w, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < f.Length; i++)
        {
            // With z = A*F + B and P = sigmoid(-z): -T log P - (1 - T) log(1 - P) = T softplus(z) + (1 - T) softplus(-z).
            var z = (a * f[i]) + b;
            var l = (t[i] * Softplus(z)) + ((1 - t[i]) * Softplus(-z));
            sum += (w?[i] ?? 1.0) * l;
        }

        return sum;
    }

    private static double Softplus(double z) => z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z));
}
