namespace PatternQuality.Trees.Internal;

/// <summary>Multiclass softmax cross-entropy: one score and one tree per class per round.</summary>
internal sealed class SoftmaxObjective : IObjective
{
    private const double MinimumHessian = 1e-16;

    public SoftmaxObjective(int classCount)
    {
        ScoreCount = classCount;
    }

    public string Name => "multiclass";

    public int ScoreCount { get; }

    public static void Softmax(ReadOnlySpan<double> scores, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        double sum = 0;
        for (var k = 0; k < scores.Length; k++)
        {
            probabilities[k] = Math.Exp(scores[k] - max);
            sum += probabilities[k];
        }

        for (var k = 0; k < scores.Length; k++)
        {
            probabilities[k] /= sum;
        }
    }

    public void CheckLabels(ReadOnlySpan<float> labels, string parameterName)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (y < 0 || y >= ScoreCount || y != MathF.Floor(y))
            {
                throw new ArgumentException($"Label of row {i} is {y}; multiclass labels must be class indexes 0 to {ScoreCount - 1}.", parameterName);
            }
        }
    }

    public double[] InitialScores(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights)
    {
        var k = ScoreCount;
        var mass = new double[k];
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            mass[(int)labels[i]] += weights[i];
            total += weights[i];
        }

        var scores = new double[k];
        for (var c = 0; c < k; c++)
        {
            scores[c] = Math.Log(Math.Max(mass[c] / total, 1e-15));
        }

        return scores;
    }

    public void ComputeGradients(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores, float[][] gradients, float[][] hessians, int from, int to)
    {
        var k = ScoreCount;
        Span<double> p = k <= 64 ? stackalloc double[k] : new double[k];

        // K / (K - 1) rescales the diagonal hessian so one round moves about as far as a full Newton step would.
        var factor = (double)k / (k - 1);
        for (var i = from; i < to; i++)
        {
            Softmax(scores.Slice(i * k, k), p);
            var y = (int)labels[i];
            var w = weights[i];
            for (var c = 0; c < k; c++)
            {
                var target = c == y ? 1.0 : 0.0;
                gradients[c][i] = (float)((p[c] - target) * w);
                hessians[c][i] = (float)(Math.Max(factor * p[c] * (1 - p[c]), MinimumHessian) * w);
            }
        }
    }

    public double Loss(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores)
    {
        var k = ScoreCount;
        Span<double> p = k <= 64 ? stackalloc double[k] : new double[k];
        double sum = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            Softmax(scores.Slice(i * k, k), p);
            sum -= weights[i] * Math.Log(Math.Max(p[(int)labels[i]], 1e-15));
            total += weights[i];
        }

        return total > 0 ? sum / total : 0;
    }
}
