namespace PatternQuality.Evaluation.Internal;

/// <summary>
/// Cumulative weighted true and false positives at each distinct score, from the highest score down: the points
/// from which ROC AUC, average precision and the best-F1 threshold are read. Tied scores form one point, which is
/// what makes the ROC area equal the average-rank (Mann-Whitney) statistic with ties counted half.
/// </summary>
internal readonly struct ThresholdCurve
{
    private ThresholdCurve(double[] thresholds, double[] tps, double[] fps)
    {
        Thresholds = thresholds;
        TruePositives = tps;
        FalsePositives = fps;
    }

    public double[] Thresholds { get; }

    public double[] TruePositives { get; }

    public double[] FalsePositives { get; }

    public double TotalPositive => TruePositives.Length == 0 ? 0 : TruePositives[^1];

    public double TotalNegative => FalsePositives.Length == 0 ? 0 : FalsePositives[^1];

    public static ThresholdCurve Build(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights)
    {
        var n = labels.Length;
        var keys = new double[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = -(double)scores[i];
            order[i] = i;
        }

        Array.Sort(keys, order);
        var thresholds = new List<double>();
        var tps = new List<double>();
        var fps = new List<double>();
        double tp = 0, fp = 0;
        for (var j = 0; j < n; j++)
        {
            var i = order[j];
            var w = MetricInput.Weight(weights, i);
            if (labels[i] == 1f)
            {
                tp += w;
            }
            else
            {
                fp += w;
            }

            if (j == n - 1 || keys[j + 1] != keys[j])
            {
                thresholds.Add(-keys[j]);
                tps.Add(tp);
                fps.Add(fp);
            }
        }

        return new ThresholdCurve(thresholds.ToArray(), tps.ToArray(), fps.ToArray());
    }
}
