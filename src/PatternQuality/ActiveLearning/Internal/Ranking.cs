namespace PatternQuality.ActiveLearning.Internal;

/// <summary>Orders candidates by a score, highest first, breaking ties by a seeded random key.</summary>
internal static class Ranking
{
    /// <summary>Returns candidate positions, highest score first; NaN scores last; ties in a seeded random order.</summary>
    /// <remarks>
    /// A query round sorts the whole pool, so this sorts primitive keys (introsort, no comparison delegate and no
    /// captured arrays): the positions start in a seeded random permutation, so equal scores, which tree ensembles give
    /// to many rows, come out in an order set by the seed rather than by pool order (neighbouring, often
    /// near-duplicate, logged rows).
    /// </remarks>
    public static int[] Descending(ReadOnlySpan<double> scores, int seed)
    {
        var n = scores.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var random = new Random(seed);
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = scores[order[i]];
            keys[i] = double.IsNaN(s) ? double.PositiveInfinity : -s;
        }

        Array.Sort(keys, order);
        return order;
    }
}
