using PatternQuality.Calibration;

namespace PatternQuality.Interop.Internal;

/// <summary>
/// Writes a calibrator as standard ONNX operators on the model's float probability, following
/// <see cref="Calibrator.Calibrate(float)"/> step by step: widen to double, clip to [1e-15, 1 - 1e-15], take the
/// log-odds, map them, and round to float.
/// </summary>
/// <remarks>
/// Redoing the float rounding of the probability before the log-odds is what keeps the two implementations equal
/// where it matters most: a boosted model's probability rounds to exactly 1 (or 0) in float for large margins, which
/// ours then clips, and a Platt or isotonic curve evaluated at the clipped log-odds can differ a lot from one
/// evaluated at the margin itself.
/// </remarks>
internal static class CalibratorNodes
{
    // As LogOdds.Epsilon: keeps logit(0) and logit(1) finite.
    private const double Epsilon = 1e-15;

    /// <summary>Adds the calibration of <paramref name="probability"/> (float, [N, 1]) and returns the calibrated float tensor.</summary>
    /// <exception cref="NotSupportedException">The calibrator is of a kind this exporter does not know.</exception>
    public static string Add(OnnxGraphBuilder graph, string probability, Calibrator calibrator)
    {
        if (calibrator is IdentityCalibrator)
        {
            // Ours maps p through logit and sigmoid, which returns p to within a float rounding.
            return probability;
        }

        if (calibrator is not (PlattCalibrator or IsotonicCalibrator))
        {
            throw new NotSupportedException($"The {calibrator.GetType().Name} calibrator ({calibrator.Method}) cannot be exported to ONNX.");
        }

        var p = graph.Node("Cast", [probability], attributes: OnnxGraphBuilder.IntAttribute("to", OnnxGraphBuilder.DoubleType));
        var clipped = graph.Node("Clip", [p, graph.Constant("epsilon", [Epsilon]), graph.Constant("one_minus_epsilon", [1 - Epsilon])]);
        var odds = graph.Node("Div", [clipped, graph.Node("Sub", [graph.Constant("one", [1.0]), clipped])]);
        var logit = graph.Node("Log", [odds]);
        var calibrated = calibrator is PlattCalibrator platt ? Platt(graph, logit, platt) : Isotonic(graph, logit, (IsotonicCalibrator)calibrator);
        return graph.Node("Cast", [calibrated], attributes: OnnxGraphBuilder.IntAttribute("to", OnnxGraphBuilder.FloatType));
    }

    /// <summary>sigmoid(-(A * logit + B)).</summary>
    private static string Platt(OnnxGraphBuilder graph, string logit, PlattCalibrator platt)
    {
        var z = graph.Node("Add", [graph.Node("Mul", [logit, graph.Constant("platt_a", [platt.A])]), graph.Constant("platt_b", [platt.B])]);
        return graph.Node("Sigmoid", [graph.Node("Neg", [z])]);
    }

    /// <summary>
    /// The piecewise-linear curve through the fitted points, flat outside them. ONNX has no sorted search, so the curve
    /// is written as a sum over segments: y0 + sum_i slope_i * (clamp(v, x_(i-1), x_i) - x_(i-1)). Segments left of v
    /// contribute their whole rise, the one holding v its partial rise, those right of it nothing: the same value as
    /// interpolating in v's segment, up to rounding. Work per row grows with the number of points.
    /// </summary>
    private static string Isotonic(OnnxGraphBuilder graph, string logit, IsotonicCalibrator isotonic)
    {
        var x = isotonic.PointInputs;
        var y = isotonic.PointOutputs;
        var y0 = graph.Constant("isotonic_y0", [y[0]]);
        if (x.Length == 1)
        {
            // One point: a constant (the log-odds are always finite, so 0 * logit is 0).
            return graph.Node("Add", [graph.Node("Mul", [logit, graph.Constant("zero", [0.0])]), y0]);
        }

        var segments = x.Length - 1;
        var lo = new double[segments];
        var hi = new double[segments];
        var slope = new double[segments];
        for (var i = 0; i < segments; i++)
        {
            lo[i] = x[i];
            hi[i] = x[i + 1];
            slope[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
        }

        var loName = graph.Constant("isotonic_lo", lo, segments);
        var clamped = graph.Node("Min", [graph.Node("Max", [logit, loName]), graph.Constant("isotonic_hi", hi, segments)]);
        var rise = graph.Node("Mul", [graph.Node("Sub", [clamped, loName]), graph.Constant("isotonic_slope", slope, segments)]);
        var total = graph.Node("ReduceSum", [rise, graph.Constant("axis_1", [1L], 1)], attributes: OnnxGraphBuilder.IntAttribute("keepdims", 1));
        return graph.Node("Add", [total, y0]);
    }
}
