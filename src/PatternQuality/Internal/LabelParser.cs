using System.Globalization;

namespace PatternQuality.Internal;

/// <summary>Reads label cells as 0/1 (or graded relevance for ranking), by the rules of <c>CsvLoadOptions</c>.</summary>
internal sealed class LabelParser(string? positiveValue, double? threshold, bool graded = false)
{
    public string Expected => graded
        ? "a graded relevance: a whole number from 0 to 31"
        : threshold is { } t
        ? $"a number (approved when >= {t.ToString(CultureInfo.InvariantCulture)})"
        : positiveValue is not null
            ? $"any value ('{positiveValue}' means approved)"
            : "0/1, true/false, yes/no, y/n or approved/rejected (otherwise set a positive value or a threshold)";

    /// <summary>Reads a label kept as a number (NaN when empty): the same result as the text of that number.</summary>
    public bool TryParse(double value, out float label)
    {
        label = 0;
        if (double.IsNaN(value) || positiveValue is not null)
        {
            // A positive value compares text; the loader keeps such a label column as text, so this is only an empty cell.
            return false;
        }

        if (graded)
        {
            if (value < 0 || value > 31 || value != Math.Floor(value))
            {
                return false;
            }

            label = (float)value;
            return true;
        }

        if (threshold is { } t)
        {
            label = value >= t ? 1f : 0f;
            return true;
        }

        if (value is 0 or 1)
        {
            label = (float)value;
            return true;
        }

        return false;
    }

    public bool TryParse(string? value, out float label)
    {
        label = 0;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var v = value.Trim();
        if (graded)
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var g) || g < 0 || g > 31 || g != Math.Floor(g))
            {
                return false;
            }

            label = (float)g;
            return true;
        }

        if (threshold is { } t)
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            {
                return false;
            }

            label = d >= t ? 1f : 0f;
            return true;
        }

        if (positiveValue is not null)
        {
            label = string.Equals(v, positiveValue.Trim(), StringComparison.OrdinalIgnoreCase) ? 1f : 0f;
            return true;
        }

        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is 0 or 1)
        {
            label = (float)n;
            return true;
        }

        switch (v.ToUpperInvariant())
        {
            case "TRUE" or "YES" or "Y" or "APPROVED":
                label = 1f;
                return true;
            case "FALSE" or "NO" or "N" or "REJECTED":
                label = 0f;
                return true;
            default:
                return false;
        }
    }
}
