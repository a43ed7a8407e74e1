using System.Globalization;
using System.Text;
using PatternQuality.Data;

namespace PatternQuality.Cli.Commands;

/// <summary>What <c>pq predict</c> writes: the input rows with a <c>score</c> column (and a <c>reasons</c> column with --explain).</summary>
internal static class ScoredCsv
{
    public const string ScoreColumn = "score";

    public const string ReasonsColumn = "reasons";

    /// <summary>The input table as it was (same delimiter and columns), with the score appended to every row.</summary>
    public static string FromTable(CsvTable table, float[] scores, string[]? reasons = null)
    {
        var d = table.Delimiter;
        var sb = new StringBuilder();
        var header = table.Header.Contains(ScoreColumn, StringComparer.Ordinal) ? "pq_" + ScoreColumn : ScoreColumn;
        AppendRow(sb, table.Header, d).Append(d).Append(header);
        if (reasons is not null)
        {
            sb.Append(d).Append(table.Header.Contains(ReasonsColumn, StringComparer.Ordinal) ? "pq_" + ReasonsColumn : ReasonsColumn);
        }

        sb.Append('\n');
        for (var i = 0; i < table.RowCount; i++)
        {
            AppendRow(sb, table.GetValues(i), d).Append(d).Append(FormatScore(scores[i]));
            if (reasons is not null)
            {
                AppendRow(sb.Append(d), [reasons[i]], d);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>An SVMlight file has no column names: write its label and dense features, then the score.</summary>
    public static string FromDense(MappedRows rows, IReadOnlyList<string> names, float[] scores, string[]? reasons = null)
    {
        var sb = new StringBuilder();
        sb.Append("label,").AppendJoin(',', names).Append(',').Append(ScoreColumn).Append(reasons is null ? string.Empty : "," + ReasonsColumn).Append('\n');
        var width = names.Count;
        for (var i = 0; i < rows.RowCount; i++)
        {
            sb.Append((rows.Labels?[i] ?? float.NaN).ToString(CultureInfo.InvariantCulture));
            for (var j = 0; j < width; j++)
            {
                sb.Append(',').Append(rows.Features[(i * width) + j].ToString(CultureInfo.InvariantCulture));
            }

            sb.Append(',').Append(FormatScore(scores[i]));
            if (reasons is not null)
            {
                AppendRow(sb.Append(','), [reasons[i]], ',');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string FormatScore(float score) => score.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>Appends one CSV row, quoting values that hold the delimiter, a quote or a line break (RFC 4180).</summary>
    public static StringBuilder AppendRow(StringBuilder sb, IReadOnlyList<string> values, char delimiter)
    {
        for (var j = 0; j < values.Count; j++)
        {
            if (j > 0)
            {
                sb.Append(delimiter);
            }

            var v = values[j] ?? string.Empty;
            if (v.Contains(delimiter) || v.Contains('"') || v.Contains('\n') || v.Contains('\r'))
            {
                sb.Append('"').Append(v.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(v);
            }
        }

        return sb;
    }
}
