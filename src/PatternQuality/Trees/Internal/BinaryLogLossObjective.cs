namespace PatternQuality.Trees.Internal;

/// <summary>Binary log-loss on a raw score s: p = sigmoid(s), gradient p - y, hessian p(1 - p).</summary>
internal sealed class BinaryLogLossObjective : IObjective
{
    public static readonly BinaryLogLossObjective Instance = new();

    private const double MinimumHessian = 1e-16;

    public string Name => "binary";

    public int ScoreCount => 1;

    public static double Sigmoid(double s) => 1.0 / (1.0 + Math.Exp(-s));

    public void CheckLabels(ReadOnlySpan<float> labels, string parameterName)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0f or 1f))
            {
                throw new ArgumentException($"Label of row {i} is {labels[i]}; binary labels must be 0 or 1.", parameterName);
            }
        }
    }

    public double[] InitialScores(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights)
    {
        double positive = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            positive += labels[i] * weights[i];
            total += weights[i];
        }

        var p = Math.Clamp(positive / total, 1e-15, 1 - 1e-15);
        return [Math.Log(p / (1 - p))];
    }

    public void ComputeGradients(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores, float[][] gradients, float[][] hessians, int from, int to)
    {
        var g = gradients[0];
        var h = hessians[0];
        for (var i = from; i < to; i++)
        {
            var p = Sigmoid(scores[i]);
            var w = weights[i];
            g[i] = (float)((p - labels[i]) * w);
            h[i] = (float)(Math.Max(p * (1 - p), MinimumHessian) * w);
        }
    }

    public double Loss(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores)
    {
        double sum = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(Sigmoid(scores[i]), 1e-15, 1 - 1e-15);
            sum -= weights[i] * (labels[i] > 0.5f ? Math.Log(p) : Math.Log(1 - p));
            total += weights[i];
        }

        return total > 0 ? sum / total : 0;
    }
}
