using PatternQuality.Data;
using PatternQuality.Evaluation;

namespace PatternQuality.Trees.Internal;

/// <summary>
/// LambdaMART: for every pair of documents of one query with different relevance, a logistic pairwise gradient scaled
/// by |delta NDCG| of swapping the pair (Burges, "From RankNet to LambdaRank to LambdaMART", 2010), with LightGBM's
/// truncation level, label-gain table and per-query normalisation.
/// </summary>
/// <remarks>
/// Created unbound (options only); <see cref="Bind"/> attaches a data set's query boundaries. The trainer chunks rows
/// for parallelism, so a chunk computes every query that STARTS inside it, including rows past the chunk's end:
/// each row belongs to exactly one query, hence to exactly one chunk, and no two threads write the same row.
/// </remarks>
internal sealed class LambdaRankObjective : IObjective
{
    private readonly LambdaRankOptions _options;
    private readonly double[] _gain;
    private readonly int[]? _bounds;
    private readonly double[]? _inverseMaxDcg;
    private readonly double[]? _discount;
    private readonly int _largestQuery;

    public LambdaRankObjective(LambdaRankOptions options)
    {
        _options = options;
        _gain = new double[LambdaRankOptions.MaximumLabel + 1];
        for (var l = 0; l < _gain.Length; l++)
        {
            _gain[l] = options.Gain == NdcgGain.Linear ? l : Math.Pow(2, l) - 1;
        }
    }

    private LambdaRankObjective(LambdaRankObjective unbound, int[] bounds, ReadOnlySpan<float> labels)
        : this(unbound._options)
    {
        _bounds = bounds;
        _inverseMaxDcg = new double[bounds.Length - 1];
        for (var q = 1; q < bounds.Length; q++)
        {
            _largestQuery = Math.Max(_largestQuery, bounds[q] - bounds[q - 1]);
        }

        _discount = new double[_largestQuery];
        for (var i = 0; i < _discount.Length; i++)
        {
            _discount[i] = 1.0 / Math.Log2(i + 2.0);
        }

        var top = new float[_largestQuery];
        for (var q = 0; q < _inverseMaxDcg.Length; q++)
        {
            int start = bounds[q], n = bounds[q + 1] - start;
            var sorted = top.AsSpan(0, n);
            labels.Slice(start, n).CopyTo(sorted);
            sorted.Sort((a, b) => b.CompareTo(a));
            double max = 0;
            for (var i = 0; i < Math.Min(n, _options.TruncationLevel); i++)
            {
                max += _gain[(int)sorted[i]] * _discount[i];
            }

            // A query whose documents are all equally relevant has nothing to order: it contributes no gradient.
            _inverseMaxDcg[q] = max > 0 ? 1.0 / max : 0.0;
        }
    }

    public string Name => "lambdarank";

    public int ScoreCount => 1;

    public EnsembleKind Kind => EnsembleKind.BoostedRanking;

    public int LabelLevels => LambdaRankOptions.MaximumLabel + 1;

    public IObjective Bind(Dataset data, string parameterName)
    {
        if (data.QueryBoundaries is not { } bounds)
        {
            throw new ArgumentException(
                $"Ranking needs query groups, but the {parameterName} set has none: load a .query file or qid: tokens (SvmLightLoader), or name a group column (CsvLoadOptions.GroupColumn), then Dataset.GroupByQuery().",
                parameterName);
        }

        return new LambdaRankObjective(this, [.. bounds], data.Labels.Span);
    }

    public void CheckLabels(ReadOnlySpan<float> labels, string parameterName)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (y < 0 || y > LambdaRankOptions.MaximumLabel || y != MathF.Floor(y))
            {
                throw new ArgumentException(
                    $"Relevance of row {i} is {y}; ranking labels must be whole numbers from 0 to {LambdaRankOptions.MaximumLabel}.", parameterName);
            }
        }
    }

    public double[] InitialScores(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights) => [0.0];

    public void ComputeGradients(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores, float[][] gradients, float[][] hessians, int from, int to)
    {
        var bounds = _bounds ?? throw new InvalidOperationException("The ranking objective is not bound to a data set's queries.");
        var q = FirstQueryAtOrAfter(bounds, from);
        var order = new int[_largestQuery];
        var lambdas = new double[_largestQuery];
        var hess = new double[_largestQuery];
        var g = gradients[0];
        var h = hessians[0];
        for (; q < bounds.Length - 1 && bounds[q] < to; q++)
        {
            int start = bounds[q], n = bounds[q + 1] - start;
            Query(labels.Slice(start, n), scores.Slice(start, n), _inverseMaxDcg![q], order, lambdas, hess);
            double weight = 0;
            for (var i = 0; i < n; i++)
            {
                weight += weights[start + i];
            }

            // One weight per query (the mean of its rows'): the pairwise gradients are a property of the whole list.
            weight = n > 0 ? weight / n : 0;
            for (var i = 0; i < n; i++)
            {
                g[start + i] = (float)(lambdas[i] * weight);
                h[start + i] = (float)(hess[i] * weight);
            }
        }
    }

    public double Loss(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores)
    {
        var bounds = _bounds ?? throw new InvalidOperationException("The ranking objective is not bound to a data set's queries.");
        var s = new float[scores.Length];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = (float)scores[i];
        }

        var ndcg = RankingMetrics.Ndcg(labels, s, bounds, _options.EarlyStoppingAt, _options.Gain);
        return double.IsNaN(ndcg) ? 0 : 1 - ndcg;
    }

    private static int FirstQueryAtOrAfter(int[] bounds, int row)
    {
        var i = Array.BinarySearch(bounds, 0, bounds.Length - 1, row);
        if (i < 0)
        {
            return ~i;
        }

        // Empty queries repeat an offset: take the first of equal offsets so none is skipped.
        while (i > 0 && bounds[i - 1] == row)
        {
            i--;
        }

        return i;
    }

    private void Query(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, double inverseMaxDcg, int[] orderBuffer, double[] lambdas, double[] hess)
    {
        var n = labels.Length;
        lambdas.AsSpan(0, n).Clear();
        hess.AsSpan(0, n).Clear();
        if (n < 2 || inverseMaxDcg == 0)
        {
            return;
        }

        var order = orderBuffer.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var s = scores;
        var scoreCopy = s.ToArray();
        order.Sort((a, b) => scoreCopy[a] != scoreCopy[b] ? scoreCopy[b].CompareTo(scoreCopy[a]) : a.CompareTo(b));
        var best = s[order[0]];
        var worst = s[order[n - 1]];
        var sigma = _options.Sigmoid;
        var normalise = _options.NormalizeQueries;
        var discount = _discount!;
        double sum = 0;
        var top = Math.Min(n, _options.TruncationLevel);
        for (var i = 0; i < top; i++)
        {
            var a = order[i];
            for (var j = i + 1; j < n; j++)
            {
                var b = order[j];
                if (labels[a] == labels[b])
                {
                    continue;
                }

                var (high, low) = labels[a] > labels[b] ? (a, b) : (b, a);
                var delta = s[high] - s[low];
                var deltaNdcg = (_gain[(int)labels[high]] - _gain[(int)labels[low]]) * Math.Abs(discount[i] - discount[j]) * inverseMaxDcg;

                // LightGBM's normalisation: pairs the model already separates widely matter less.
                if (normalise && best != worst)
                {
                    deltaNdcg /= 0.01 + Math.Abs(delta);
                }

                var p = 1.0 / (1.0 + Math.Exp(sigma * delta));
                var lambda = -sigma * deltaNdcg * p;
                var second = sigma * sigma * deltaNdcg * p * (1 - p);
                lambdas[low] -= lambda;
                lambdas[high] += lambda;
                hess[low] += second;
                hess[high] += second;
                sum -= 2 * lambda;
            }
        }

        if (normalise && sum > 0)
        {
            var factor = Math.Log2(1 + sum) / sum;
            for (var i = 0; i < n; i++)
            {
                lambdas[i] *= factor;
                hess[i] *= factor;
            }
        }
    }
}
