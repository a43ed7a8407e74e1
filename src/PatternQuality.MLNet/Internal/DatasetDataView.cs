using Microsoft.ML;
using Microsoft.ML.Data;
using PatternQuality.Data;

namespace PatternQuality.MLNet.Internal;

/// <summary>Presents a <see cref="Dataset"/> to ML.NET as an <see cref="IDataView"/> with Label, Features and (when present) Weight columns.</summary>
internal static class DatasetDataView
{
    public const string Label = "Label";
    public const string Features = "Features";
    public const string Weight = "Weight";

    public static IDataView Create(MLContext context, Dataset data)
    {
        var f = data.Schema.Count;
        var rows = new Row[data.RowCount];
        var labels = data.Labels.Span;
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new Row { Label = labels[r] > 0.5f, Weight = data.GetWeight(r), Features = data.GetRow(r).ToArray() };
        }

        // The vector length is only known at run time, so the schema is built here rather than by attribute.
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, f);
        return context.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>One row as ML.NET reads it; public members because ML.NET binds them by reflection.</summary>
    internal sealed class Row
    {
        public bool Label { get; set; }

        public float Weight { get; set; }

        public float[] Features { get; set; } = [];
    }
}
