namespace PatternQuality.ActiveLearning.Internal;

/// <summary>Orders candidates by a score, breaking ties at random.</summary>
internal static class Ranking
{
    /// <summary>Candidate positions, highest score first.</summary>
    /// <remarks>
    /// Tree ensembles give many candidates exactly the same probability. Breaking those ties by pool order would
    /// pick runs of neighbouring rows (often near-duplicates in logged data), so ties go to a seeded random key.
    /// </remarks>
    public static int[] Descending(ReadOnlySpan<double> scores, int seed)
    {
        var order = new int[scores.Length];
        var random = new Random(seed);
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var tieBreak = new double[scores.Length];
        for (var i = 0; i < tieBreak.Length; i++)
        {
            tieBreak[i] = random.NextDouble();
        }

        var s = scores.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = s[b].CompareTo(s[a]);
            return c != 0 ? c : tieBreak[a].CompareTo(tieBreak[b]);
        });
        return order;
    }
}
