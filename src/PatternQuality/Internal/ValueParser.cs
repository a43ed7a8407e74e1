using System.Globalization;

namespace PatternQuality.Internal;

/// <summary>Culture-invariant, allocation-free parsing of text cells.</summary>
internal static class ValueParser
{
    public static bool IsMissing(string? value) => string.IsNullOrWhiteSpace(value);

    public static double? ParseNumber(string? value)
        => !IsMissing(value) && double.TryParse(value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : null;

    public static bool IsNumber(string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    public static bool? ParseBoolean(string? value)
    {
        if (IsMissing(value))
        {
            return null;
        }

        var v = value.AsSpan().Trim();
        if (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("yes", StringComparison.OrdinalIgnoreCase)
            || v.Equals("y", StringComparison.OrdinalIgnoreCase) || v.Equals("1", StringComparison.Ordinal))
        {
            return true;
        }

        if (v.Equals("false", StringComparison.OrdinalIgnoreCase) || v.Equals("no", StringComparison.OrdinalIgnoreCase)
            || v.Equals("n", StringComparison.OrdinalIgnoreCase) || v.Equals("0", StringComparison.Ordinal))
        {
            return false;
        }

        return null;
    }

    public static bool IsBooleanWord(string value)
        => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Converts unix seconds; beyond year 9999 is no real timestamp, so it is missing rather than an error.</summary>
    public static DateTimeOffset? TimeFromSeconds(double seconds)
        => double.IsFinite(seconds) && Math.Abs(seconds) < 253_402_300_799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : null;

    /// <summary>Parses unix seconds (a number) or an ISO 8601 date and time (UTC when it carries no offset).</summary>
    public static DateTimeOffset? ParseTime(string? value)
    {
        if (IsMissing(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeFromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
