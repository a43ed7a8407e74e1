using PatternQuality.Internal;

namespace PatternQuality.Data;

/// <summary>Summarizes an already-built dataset (for formats without raw text columns, such as SVMlight).</summary>
public static class DatasetInspector
{
    /// <summary>Summarizes a dataset: per feature the NaN count and distinct values, the label balance (label &gt; 0 is positive) and the time range.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The summary.</returns>
    public static DataInspection Inspect(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var n = dataset.Schema.Count;
        var features = dataset.Features.Span;
        var columns = new ColumnInspection[n];
        var distinct = new DistinctCounter();
        for (var c = 0; c < n; c++)
        {
            distinct.Clear();
            var missing = 0;
            for (var r = 0; r < dataset.RowCount; r++)
            {
                var v = features[(r * n) + c];
                if (float.IsNaN(v))
                {
                    missing++;
                }
                else
                {
                    distinct.Add(v);
                }
            }

            var f = dataset.Schema[c];
            columns[c] = new ColumnInspection(f.Name, f.Kind.ToString().ToLowerInvariant(), missing, distinct.Count);
        }

        var labels = dataset.Labels.Span;
        var positive = 0;
        foreach (var l in labels)
        {
            positive += l > 0 ? 1 : 0;
        }

        DateTimeOffset? min = null, max = null;
        if (dataset.Timestamps is { } ts && ts.Length > 0)
        {
            var span = ts.Span;
            long lo = long.MaxValue, hi = long.MinValue;
            foreach (var t in span)
            {
                lo = Math.Min(lo, t);
                hi = Math.Max(hi, t);
            }

            min = DateTimeOffset.FromUnixTimeMilliseconds(lo);
            max = DateTimeOffset.FromUnixTimeMilliseconds(hi);
        }

        return new DataInspection
        {
            Rows = dataset.RowCount,
            Columns = columns,
            Positive = positive,
            Negative = dataset.RowCount - positive,
            TimeMin = min,
            TimeMax = max,
        };
    }
}
