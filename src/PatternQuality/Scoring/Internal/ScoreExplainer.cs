using System.Buffers;
using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Trees;

namespace PatternQuality.Scoring.Internal;

/// <summary>Builds a <see cref="ScoreExplanation"/> for one pattern: contributions, grouping by declared feature, top-K selection, probability mapping.</summary>
/// <remarks>
/// Per call it rents or stack-allocates its buffers and allocates only the result: the explanation, its K entries and
/// the K value descriptions. Thread-safe (the model and extractor are).
/// </remarks>
internal static class ScoreExplainer
{
    public const string ApprovedOutcome = "approved";

    private const int StackLimit = 128;

    public static ScoreExplanation Explain<TPattern>(QualityModel model, IFeatureExtractor<TPattern> extractor, TPattern pattern, int top)
    {
        var tree = model.Predictor as TreeEnsembleModel
            ?? throw new NotSupportedException($"Explanations need a tree model; the current model's predictor is a {model.Predictor.GetType().Name}.");
        var f = model.Info.Schema.Count;
        var declared = extractor as FeatureExtractor<TPattern>;
        var groups = declared?.DeclaredFeatureCount ?? f;

        float[]? rentedX = null;
        double[]? rentedPhi = null, rentedGroup = null;
        var x = f <= StackLimit ? stackalloc float[f] : (rentedX = ArrayPool<float>.Shared.Rent(f)).AsSpan(0, f);
        var phi = f < StackLimit ? stackalloc double[f + 1] : (rentedPhi = ArrayPool<double>.Shared.Rent(f + 1)).AsSpan(0, f + 1);
        var group = groups <= StackLimit ? stackalloc double[groups] : (rentedGroup = ArrayPool<double>.Shared.Rent(groups)).AsSpan(0, groups);
        try
        {
            extractor.Extract(pattern, x);
            tree.PredictContributions(x, phi);
            var bias = phi[f];
            double raw = bias;
            for (var j = 0; j < f; j++)
            {
                raw += phi[j];
            }

            if (declared is null)
            {
                phi[..f].CopyTo(group);
            }
            else
            {
                var offset = 0;
                for (var g = 0; g < groups; g++)
                {
                    var width = declared.DeclaredFeatureWidth(g);
                    double sum = 0;
                    for (var j = 0; j < width; j++)
                    {
                        sum += phi[offset + j];
                    }

                    group[g] = sum;
                    offset += width;
                }
            }

            var score = model.Score(x);
            var baseScore = (double)model.Calibrator.Calibrate(Link(tree, bias));
            var scale = ProbabilityScale(model, tree, raw, bias, score, baseScore);

            Span<int> best = stackalloc int[Math.Min(Math.Min(top, groups), StackLimit)];
            var count = SelectTop(group, best);
            var result = new FeatureContribution[count];
            for (var i = 0; i < count; i++)
            {
                var g = best[i];
                string name;
                string? value;
                if (declared is null)
                {
                    name = model.Info.Schema[g].Name;
                    value = DescribeVectorValue(model.Info.Schema[g], x[g]);
                }
                else
                {
                    var offset = 0;
                    for (var k = 0; k < g; k++)
                    {
                        offset += declared.DeclaredFeatureWidth(k);
                    }

                    name = declared.DeclaredFeatureName(g);
                    value = declared.DescribeDeclaredFeature(g, pattern, x.Slice(offset, declared.DeclaredFeatureWidth(g)));
                }

                result[i] = new FeatureContribution(name, value, group[g], group[g] * scale);
            }

            return new ScoreExplanation(score, baseScore, raw, bias, result, ApprovedOutcome);
        }
        finally
        {
            if (rentedX is not null)
            {
                ArrayPool<float>.Shared.Return(rentedX);
            }

            if (rentedPhi is not null)
            {
                ArrayPool<double>.Shared.Return(rentedPhi);
            }

            if (rentedGroup is not null)
            {
                ArrayPool<double>.Shared.Return(rentedGroup);
            }
        }
    }

    /// <summary>Maps a raw score to the uncalibrated probability the calibrator reads.</summary>
    internal static float Link(TreeEnsembleModel tree, double raw)
        => tree.IsRandomForest ? (float)Math.Clamp(raw, 0, 1) : (float)(1 / (1 + Math.Exp(-raw)));

    /// <summary>
    /// Probability points per raw unit, so every feature gets its share of (score - base score) in proportion to its
    /// raw contribution. When the raw score is at the average the secant is 0/0, so the local slope is used instead.
    /// </summary>
    private static double ProbabilityScale(QualityModel model, TreeEnsembleModel tree, double raw, double bias, float score, double baseScore)
    {
        var delta = raw - bias;
        if (Math.Abs(delta) > 1e-6)
        {
            return (score - baseScore) / delta;
        }

        const double H = 1e-3;
        var up = model.Calibrator.Calibrate(Link(tree, bias + H));
        var down = model.Calibrator.Calibrate(Link(tree, bias - H));
        return (up - down) / (2 * H);
    }

    /// <summary>Indexes of the largest absolute values, largest first; ties keep feature order. Exact zeros are left out.</summary>
    private static int SelectTop(ReadOnlySpan<double> values, Span<int> best)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var a = Math.Abs(values[i]);
            if (!(a > 0))
            {
                continue;
            }

            var pos = count;
            while (pos > 0 && Math.Abs(values[best[pos - 1]]) < a)
            {
                pos--;
            }

            if (pos >= best.Length)
            {
                continue;
            }

            var end = Math.Min(count, best.Length - 1);
            for (var k = end; k > pos; k--)
            {
                best[k] = best[k - 1];
            }

            best[pos] = i;
            count = Math.Min(count + 1, best.Length);
        }

        return count;
    }

    private static string? DescribeVectorValue(FeatureDefinition feature, float v)
    {
        if (float.IsNaN(v))
        {
            return null;
        }

        if (feature.Kind == FeatureKind.Categorical)
        {
            var i = (int)v;
            return v >= 0 && i < feature.Categories.Count ? feature.Categories[i] : FeatureDefinition.UnknownCategory;
        }

        return v.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
