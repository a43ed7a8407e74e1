namespace PatternQuality.Tests.Online;

/// <summary>Reference metrics for assertions, computed the slow obvious way.</summary>
internal static class Metrics
{
    public static double Auc(IReadOnlyList<float> labels, IReadOnlyList<float> scores)
    {
        var pos = 0L;
        var neg = 0L;
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        var k = 0;
        while (k < order.Length)
        {
            var e = k;
            while (e + 1 < order.Length && scores[order[e + 1]] == scores[order[k]])
            {
                e++;
            }

            var rank = ((k + e) / 2.0) + 1;
            for (var t = k; t <= e; t++)
            {
                if (labels[order[t]] == 1)
                {
                    rankSum += rank;
                    pos++;
                }
                else
                {
                    neg++;
                }
            }

            k = e + 1;
        }

        return (rankSum - (pos * (pos + 1) / 2.0)) / ((double)pos * neg);
    }

    public static double LogLoss(IReadOnlyList<float> labels, IReadOnlyList<float> scores)
    {
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(scores[i], 1e-15, 1 - 1e-15);
            sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / labels.Count;
    }
}
