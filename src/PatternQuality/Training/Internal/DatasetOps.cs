using PatternQuality.Data;

namespace PatternQuality.Training.Internal;

/// <summary>Dataset checks and combinations the trainer needs and <see cref="Dataset"/> does not offer.</summary>
internal static class DatasetOps
{
    /// <summary>Throws unless every label is 0 or 1 and both occur: a quality model learns the difference between the two.</summary>
    public static void EnsureBinaryWithBothClasses(Dataset data, string what, string paramName)
    {
        var labels = data.Labels.Span;
        if (labels.Length == 0)
        {
            throw new ArgumentException($"The {what} has no rows.", paramName);
        }

        var positives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == 1f)
            {
                positives++;
            }
            else if (labels[i] != 0f)
            {
                throw new ArgumentException($"Label of row {i} of the {what} is {labels[i]}; a quality model needs 0/1 (rejected/approved) labels.", paramName);
            }
        }

        if (positives == 0 || positives == labels.Length)
        {
            var only = positives == 0 ? "rejected (0)" : "approved (1)";
            throw new ArgumentException(
                $"Every one of the {labels.Length} rows of the {what} is {only}; a quality model needs both approved and rejected examples.", paramName);
        }
    }

    /// <summary>The weighted share of label-1 rows, or NaN for an empty set.</summary>
    public static double PositiveRate(Dataset data)
    {
        var labels = data.Labels.Span;
        double pos = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = data.GetWeight(i);
            pos += labels[i] * w;
            total += w;
        }

        return total > 0 ? pos / total : double.NaN;
    }

    /// <summary>The rows of <paramref name="first"/> then those of <paramref name="second"/>, the second's weights scaled.</summary>
    /// <remarks>Timestamps and groups are dropped: the result only feeds a learner, which does not use them.</remarks>
    public static Dataset Concat(Dataset first, Dataset second, float secondWeight)
    {
        first.Schema.EnsureCompatible(second.Schema);
        var n1 = first.RowCount;
        var n2 = second.RowCount;
        var features = new float[first.Features.Length + second.Features.Length];
        first.Features.Span.CopyTo(features);
        second.Features.Span.CopyTo(features.AsSpan(first.Features.Length));
        var labels = new float[n1 + n2];
        first.Labels.Span.CopyTo(labels);
        second.Labels.Span.CopyTo(labels.AsSpan(n1));
        var weights = new float[n1 + n2];
        for (var i = 0; i < n1; i++)
        {
            weights[i] = first.GetWeight(i);
        }

        for (var i = 0; i < n2; i++)
        {
            weights[n1 + i] = second.GetWeight(i) * secondWeight;
        }

        return new Dataset(first.Schema, features, labels, weights);
    }

    /// <summary>The earliest and latest timestamp (unix milliseconds), or null when the data has none.</summary>
    public static (DateTimeOffset? First, DateTimeOffset? Last) TimeRange(Dataset data)
    {
        if (data.Timestamps is not { Length: > 0 } ts)
        {
            return (null, null);
        }

        var span = ts.Span;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var t in span)
        {
            min = Math.Min(min, t);
            max = Math.Max(max, t);
        }

        return (DateTimeOffset.FromUnixTimeMilliseconds(min), DateTimeOffset.FromUnixTimeMilliseconds(max));
    }
}
