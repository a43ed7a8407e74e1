namespace PatternQuality.Trees.Internal;

/// <summary>Gauss-Legendre quadrature rules on [0, 1], exact for polynomials of degree up to 2n - 1 with n points.</summary>
internal static class GaussLegendre
{
    /// <summary>
    /// Returns the <paramref name="count"/> points and weights of the rule on [0, 1], padded to
    /// <paramref name="length"/> entries with point 0.5 and weight 0 (padding adds nothing to a weighted sum and, being
    /// inside (0, 1), keeps every factor TreeSHAP evaluates there positive).
    /// </summary>
    public static (double[] Points, double[] Weights) OnUnitInterval(int count, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, count);
        var points = new double[length];
        var weights = new double[length];
        points.AsSpan().Fill(0.5);
        for (var i = 0; i < count; i++)
        {
            // Newton's method on the Legendre polynomial P_n from the usual asymptotic guess for its i-th root.
            var x = Math.Cos(Math.PI * (i + 0.75) / (count + 0.5));
            for (var iteration = 0; iteration < 100; iteration++)
            {
                var (value, slope) = Legendre(count, x);
                var step = value / slope;
                x -= step;
                if (Math.Abs(step) < 1e-16)
                {
                    break;
                }
            }

            // Map [-1, 1] to [0, 1]: the weight halves.
            var derivative = Legendre(count, x).Derivative;
            points[i] = (1 - x) / 2;
            weights[i] = 1 / ((1 - (x * x)) * derivative * derivative);
        }

        return (points, weights);
    }

    /// <summary>P_n(x) and P_n'(x) by the three-term recurrence (|x| &lt; 1).</summary>
    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, current = x;
        for (var k = 2; k <= n; k++)
        {
            var next = ((((2 * k) - 1) * x * current) - ((k - 1) * previous)) / k;
            previous = current;
            current = next;
        }

        return (current, n * ((x * current) - previous) / ((x * x) - 1));
    }
}
