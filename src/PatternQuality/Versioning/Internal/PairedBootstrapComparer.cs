namespace PatternQuality.Versioning.Internal;

/// <summary>
/// A paired, stratified bootstrap of the AUC difference: each resample draws positives from the positives and
/// negatives from the negatives (so both classes are always present) and scores both models on the same draw.
/// </summary>
/// <remarks>
/// A resample is a vector of per-row counts, so each model's rows are sorted once and every resample's AUC is a
/// linear sweep over them: O(iterations * n) instead of O(iterations * n log n).
/// </remarks>
internal static class PairedBootstrapComparer
{
    internal static AucComparison Compare(
        ReadOnlySpan<float> labels,
        ReadOnlySpan<float> champion,
        ReadOnlySpan<float> candidate,
        double confidenceLevel,
        int iterations,
        int seed,
        CancellationToken cancellationToken)
    {
        var positive = new bool[labels.Length];
        var pos = new List<int>();
        var neg = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            positive[i] = labels[i] > 0.5f;
            (positive[i] ? pos : neg).Add(i);
        }

        var a = new SortedScores(champion);
        var b = new SortedScores(candidate);
        var ones = new int[labels.Length];
        Array.Fill(ones, 1);
        double m = pos.Count, n = neg.Count;
        var aucA = a.WeightedAuc(ones, positive, m, n);
        var aucB = b.WeightedAuc(ones, positive, m, n);

        var random = new SplitMixRandom(seed);
        var counts = new int[labels.Length];
        var deltas = new double[iterations];
        for (var it = 0; it < iterations; it++)
        {
            if ((it & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Array.Clear(counts);
            for (var k = 0; k < pos.Count; k++)
            {
                counts[pos[random.Next(pos.Count)]]++;
            }

            for (var k = 0; k < neg.Count; k++)
            {
                counts[neg[random.Next(neg.Count)]]++;
            }

            deltas[it] = b.WeightedAuc(counts, positive, m, n) - a.WeightedAuc(counts, positive, m, n);
        }

        Array.Sort(deltas);
        var alpha = 1 - confidenceLevel;
        return new AucComparison(aucA, aucB, Percentile(deltas, alpha / 2), Percentile(deltas, 1 - (alpha / 2)));
    }

    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>Row indices in ascending score order, with the boundaries of each run of tied scores.</summary>
    private sealed class SortedScores
    {
        private readonly int[] _order;
        private readonly int[] _groupEnds;

        public SortedScores(ReadOnlySpan<float> scores)
        {
            _order = new int[scores.Length];
            for (var i = 0; i < _order.Length; i++)
            {
                _order[i] = i;
            }

            var keys = scores.ToArray();
            Array.Sort(keys, _order);
            var ends = new List<int>();
            for (var i = 1; i <= keys.Length; i++)
            {
                if (i == keys.Length || keys[i] != keys[i - 1])
                {
                    ends.Add(i);
                }
            }

            _groupEnds = [.. ends];
        }

        /// <summary>The AUC with row <c>i</c> counted <c>counts[i]</c> times; tied positive/negative pairs count half.</summary>
        public double WeightedAuc(int[] counts, bool[] positive, double positiveTotal, double negativeTotal)
        {
            double negativesBelow = 0, pairs = 0;
            var start = 0;
            foreach (var end in _groupEnds)
            {
                double groupPos = 0, groupNeg = 0;
                for (var k = start; k < end; k++)
                {
                    var row = _order[k];
                    if (positive[row])
                    {
                        groupPos += counts[row];
                    }
                    else
                    {
                        groupNeg += counts[row];
                    }
                }

                pairs += groupPos * (negativesBelow + (groupNeg / 2));
                negativesBelow += groupNeg;
                start = end;
            }

            return pairs / (positiveTotal * negativeTotal);
        }
    }
}
