using System.Globalization;
using System.Text;

namespace PatternQuality.Scoring.Internal;

/// <summary>Formats contributions as the one-line reason people read.</summary>
internal static class ExplanationText
{
    /// <summary>Contributions that would print as +0.00 say nothing to a reader; they stay in the list but not in the text.</summary>
    private const double Visible = 0.005;

    public static string Format(ReadOnlySpan<FeatureContribution> contributions, string outcome)
    {
        var sb = new StringBuilder(128);
        var any = AppendSide(sb, contributions, positive: true, $"more likely {outcome}: ");
        if (AppendSide(sb, contributions, positive: false, any ? "; less likely: " : $"less likely {outcome}: "))
        {
            any = true;
        }

        return any ? sb.ToString() : "close to the average: no feature moved the score noticeably";
    }

    private static bool AppendSide(StringBuilder sb, ReadOnlySpan<FeatureContribution> contributions, bool positive, string heading)
    {
        var first = true;
        foreach (var c in contributions)
        {
            if (positive ? c.Contribution < Visible : c.Contribution > -Visible)
            {
                continue;
            }

            sb.Append(first ? heading : ", ");
            first = false;
            sb.Append(c.Name);
            if (c.Value is null)
            {
                sb.Append(" missing");
            }
            else
            {
                sb.Append(" = ").Append(c.Value);
            }

            sb.Append(" (").Append(c.Contribution.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)).Append(')');
        }

        return !first;
    }
}
