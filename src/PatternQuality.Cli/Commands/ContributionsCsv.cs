using System.Globalization;
using System.Text;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// The CSV that <c>pq explain</c> writes: one column per model feature plus <c>bias</c> (named <c>pq_bias</c> when a
/// feature is already called <c>bias</c>), values in round-trip format because they are meant for exact comparison
/// with other tools (XGBoost's <c>pred_contribs=True</c>).
/// </summary>
internal static class ContributionsCsv
{
    public const string BiasColumn = "bias";

    /// <summary>One row per input row: each row's contributions sum to the binary model's raw score.</summary>
    public static string Binary(Scoring.QualityModel model, MappedRows rows, CancellationToken cancellationToken)
    {
        var schema = model.Info.Schema;
        var f = schema.Count;
        var sb = new StringBuilder();
        for (var j = 0; j < f; j++)
        {
            Field(sb, schema[j].Name).Append(',');
        }

        sb.Append(schema.IndexOf(BiasColumn) >= 0 ? "pq_" + BiasColumn : BiasColumn).Append('\n');
        var phi = new double[f + 1];
        for (var i = 0; i < rows.RowCount; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            model.PredictContributions(rows.Features.AsSpan(i * f, f), phi);
            for (var j = 0; j <= f; j++)
            {
                // Round-trip formatting: the values are meant for exact comparison with other tools.
                sb.Append(phi[j].ToString("R", CultureInfo.InvariantCulture)).Append(j < f ? ',' : '\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>Per-class contributions: all classes (CLASS:FEATURE columns, class-major) or one class (binary layout).</summary>
    public static string Multiclass(Scoring.MulticlassQualityModel model, float[] features, int rowCount, int? only, CancellationToken cancellationToken)
    {
        var schema = model.Info.Schema;
        var f = schema.Count;
        var k = model.ClassCount;
        var sb = new StringBuilder();
        var classes = only is { } single ? [single] : Enumerable.Range(0, k).ToArray();
        var bias = schema.IndexOf(BiasColumn) >= 0 ? "pq_" + BiasColumn : BiasColumn;
        foreach (var c in classes)
        {
            var prefix = only is null ? model.ClassNames[c] + ":" : string.Empty;
            for (var j = 0; j < f; j++)
            {
                Field(sb, prefix + schema[j].Name).Append(',');
            }

            Field(sb, prefix + bias).Append(c == classes[^1] ? '\n' : ',');
        }

        var phi = new double[k * (f + 1)];
        for (var i = 0; i < rowCount; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            model.PredictContributions(features.AsSpan(i * f, f), phi);
            foreach (var c in classes)
            {
                var block = phi.AsSpan(c * (f + 1), f + 1);
                for (var j = 0; j <= f; j++)
                {
                    sb.Append(block[j].ToString("R", CultureInfo.InvariantCulture)).Append(j < f || c != classes[^1] ? ',' : '\n');
                }
            }
        }

        return sb.ToString();
    }

    private static StringBuilder Field(StringBuilder sb, string name)
        => name.Contains(',') || name.Contains('"')
            ? sb.Append('"').Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
            : sb.Append(name);
}
