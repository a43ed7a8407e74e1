using System.Globalization;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Versioning;

/// <summary>
/// Real labels and real-feature scores from the in-vehicle coupon survey: whether a driver accepted a suggested coupon
/// (Y), and probabilities built from what the coupon was (type and expiry), the strongest single signals in the data.
/// </summary>
internal static class CouponHoldout
{
    private static readonly Lazy<(float[] Labels, string[] Coupon, string[] Expiration)> _rows = new(Read);

    public static float[] Labels => _rows.Value.Labels;

    /// <summary>The observed acceptance rate of each (coupon type, expiry) cell: a calibrated score from two real features.</summary>
    public static float[] GoodScores()
    {
        var (labels, coupon, expiration) = _rows.Value;
        var rate = labels.Select((y, i) => (Key: coupon[i] + "|" + expiration[i], y))
            .GroupBy(t => t.Key)
            .ToDictionary(g => g.Key, g => g.Average(t => t.y));
        return coupon.Select((c, i) => rate[c + "|" + expiration[i]]).ToArray();
    }

    /// <summary>The good score mixed with as much uniform noise: it ranks worse and is worse calibrated.</summary>
    public static float[] NoisyScores(int seed = 7)
    {
        var random = new Random(seed);
        return GoodScores().Select(p => (0.5f * p) + (0.5f * (float)random.NextDouble())).ToArray();
    }

    /// <summary>The same ranking as the good score, pushed towards 0 and 1: equal AUC, worse Brier.</summary>
    public static float[] Overconfident(float[] scores, double power) =>
        scores.Select(p => (float)(Math.Pow(p, power) / (Math.Pow(p, power) + Math.Pow(1 - p, power)))).ToArray();

    private static (float[], string[], string[]) Read()
    {
        var lines = File.ReadAllLines(SharedData.Coupon);
        var header = lines[0].Split(',');
        int y = Array.IndexOf(header, "Y"), coupon = Array.IndexOf(header, "coupon"), expiration = Array.IndexOf(header, "expiration");
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        return (
            rows.Select(r => float.Parse(r[y], CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => r[coupon]).ToArray(),
            rows.Select(r => r[expiration]).ToArray());
    }
}
