using PatternQuality.Data;

namespace PatternQuality.Trees.Internal;

/// <summary>Re-estimates the leaf values of a boosted binary ensemble on new data, tree by tree.</summary>
internal static class LeafRefit
{
    public static RegressionTree[] Refit(TreeEnsemble ensemble, Dataset data, double decay, CancellationToken cancellationToken)
    {
        var n = data.RowCount;
        var scores = new double[n];
        Array.Fill(scores, ensemble.BaseScores[0]);
        var leafOf = new int[n];
        var labels = data.Labels.Span;
        var result = new RegressionTree[ensemble.Trees.Length];
        for (var t = 0; t < ensemble.Trees.Length; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tree = ensemble.Trees[t];
            var g = new double[tree.LeafCount];
            var h = new double[tree.LeafCount];
            for (var r = 0; r < n; r++)
            {
                var leaf = tree.GetLeaf(data.GetRow(r));
                leafOf[r] = leaf;
                var p = BinaryLogLossObjective.Sigmoid(scores[r]);
                var w = data.GetWeight(r);
                g[leaf] += (p - labels[r]) * w;
                h[leaf] += Math.Max(p * (1 - p), 1e-16) * w;
            }

            var values = (double[])tree.LeafValues.Clone();
            for (var l = 0; l < values.Length; l++)
            {
                if (h[l] > 0)
                {
                    var fresh = -g[l] / (h[l] + ensemble.L2) * ensemble.LearningRate;
                    values[l] = (decay * values[l]) + ((1 - decay) * fresh);
                }
            }

            result[t] = tree.WithLeafValues(values);
            for (var r = 0; r < n; r++)
            {
                scores[r] += values[leafOf[r]];
            }
        }

        return result;
    }
}
