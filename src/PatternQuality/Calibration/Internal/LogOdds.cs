namespace PatternQuality.Calibration.Internal;

/// <summary>Probability to log-odds, with the ends clipped so 0 and 1 map to finite values.</summary>
internal static class LogOdds
{
    // 1e-15 keeps logit(0) and logit(1) finite (about -+34.5) while leaving every float probability other than 0 and 1 untouched.
    private const double Epsilon = 1e-15;

    public static double FromProbability(double p)
    {
        var c = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log(c / (1 - c));
    }

    public static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));
}
