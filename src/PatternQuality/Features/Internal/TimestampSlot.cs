using PatternQuality.Data;

namespace PatternQuality.Features.Internal;

/// <summary>
/// Expands a time into hour of day on the unit circle (so 23:00 is next to 00:00), day of week and a weekend flag.
/// The time's own offset is kept: a user's local evening is what matters, not UTC.
/// </summary>
internal sealed class TimestampSlot<TPattern>(string name, Func<TPattern, DateTimeOffset?> getter) : FeatureSlot<TPattern>(name)
{
    public const string HourSinSuffix = ".hour_sin";
    public const string HourCosSuffix = ".hour_cos";
    public const string DayOfWeekSuffix = ".day_of_week";
    public const string WeekendSuffix = ".is_weekend";

    public override int Width => 4;

    public override void AddDefinitions(List<FeatureDefinition> definitions)
    {
        definitions.Add(new FeatureDefinition(Name + HourSinSuffix, FeatureKind.Numeric));
        definitions.Add(new FeatureDefinition(Name + HourCosSuffix, FeatureKind.Numeric));
        definitions.Add(new FeatureDefinition(Name + DayOfWeekSuffix, FeatureKind.Numeric));
        definitions.Add(new FeatureDefinition(Name + WeekendSuffix, FeatureKind.Boolean));
    }

    public override void Write(TPattern pattern, Span<float> destination, HistoryState history)
    {
        if (getter(pattern) is not { } t)
        {
            destination[..4].Fill(float.NaN);
            return;
        }

        var hours = t.Hour + (t.Minute / 60.0) + (t.Second / 3600.0);
        var angle = 2 * Math.PI * hours / 24.0;
        destination[0] = (float)Math.Sin(angle);
        destination[1] = (float)Math.Cos(angle);
        destination[2] = (int)t.DayOfWeek;
        destination[3] = t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1f : 0f;
    }

    /// <summary>The weekday and time of day, in the timestamp's own offset ("Sat 23:00").</summary>
    public override string? Describe(TPattern pattern, ReadOnlySpan<float> written)
        => getter(pattern) is { } t ? t.ToString("ddd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : null;
}
