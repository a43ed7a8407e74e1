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

            var score = model.Score(x);
            var baseScore = (double)model.Calibrator.Calibrate(Link(tree, bias));
            var scale = ProbabilityScale(model, tree, raw, bias, score, baseScore);
            var result = Named(model.Info.Schema, declared, pattern, x, phi[..f], group, top, scale);
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

    /// <summary>
    /// Explains one class of a multiclass model: that class's TreeSHAP block (contributions to its softmax input), its
    /// calibrated probability, and the probability it would have at every class's average raw score.
    /// </summary>
    public static ScoreExplanation ExplainClass<TPattern>(MulticlassQualityModel model, IFeatureExtractor<TPattern> extractor, TPattern pattern, int classIndex, int top)
    {
        var f = model.Info.Schema.Count;
        var k = model.ClassCount;
        var declared = extractor as FeatureExtractor<TPattern>;
        var groups = declared?.DeclaredFeatureCount ?? f;
        var x = ArrayPool<float>.Shared.Rent(f);
        var phi = ArrayPool<double>.Shared.Rent(k * (f + 1));
        var group = ArrayPool<double>.Shared.Rent(groups);
        try
        {
            var row = x.AsSpan(0, f);
            extractor.Extract(pattern, row);
            model.PredictContributions(row, phi.AsSpan(0, k * (f + 1)));
            Span<double> raw = k <= StackLimit ? stackalloc double[k] : new double[k];
            Span<double> biases = k <= StackLimit ? stackalloc double[k] : new double[k];
            for (var c = 0; c < k; c++)
            {
                var block = phi.AsSpan(c * (f + 1), f + 1);
                biases[c] = block[f];
                double sum = 0;
                foreach (var v in block)
                {
                    sum += v;
                }

                raw[c] = sum;
            }

            Span<float> p = k <= StackLimit ? stackalloc float[k] : new float[k];
            model.Calibrator.Calibrate(raw, p);
            var score = p[classIndex];
            model.Calibrator.Calibrate(biases, p);
            double baseScore = p[classIndex];
            var delta = raw[classIndex] - biases[classIndex];
            double scale;
            if (Math.Abs(delta) > 1e-6)
            {
                scale = (score - baseScore) / delta;
            }
            else
            {
                // At the average the secant is 0/0: the local slope of this class's probability in its own raw score.
                const double H = 1e-3;
                biases[classIndex] += H;
                model.Calibrator.Calibrate(biases, p);
                var up = p[classIndex];
                biases[classIndex] -= 2 * H;
                model.Calibrator.Calibrate(biases, p);
                scale = (up - p[classIndex]) / (2 * H);
                biases[classIndex] += H;
            }

            var result = Named(model.Info.Schema, declared, pattern, row, phi.AsSpan(classIndex * (f + 1), f), group.AsSpan(0, groups), top, scale);
            return new ScoreExplanation(score, baseScore, raw[classIndex], biases[classIndex], result, model.ClassNames[classIndex]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(phi);
            ArrayPool<double>.Shared.Return(group);
        }
    }

    /// <summary>Sums the columns of each declared feature and names the <paramref name="top"/> largest with the pattern's values.</summary>
    private static FeatureContribution[] Named<TPattern>(
        FeatureSchema schema, FeatureExtractor<TPattern>? declared, TPattern pattern, ReadOnlySpan<float> x, ReadOnlySpan<double> phi, Span<double> group, int top, double scale)
    {
        var groups = group.Length;
        if (declared is null)
        {
            phi.CopyTo(group);
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
                name = schema[g].Name;
                value = DescribeVectorValue(schema[g], x[g]);
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

        return result;
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
