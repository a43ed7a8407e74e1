namespace PatternQuality.Experiments;

/// <summary>What one variant's units did, from feedback.</summary>
public sealed record VariantMetrics
{
    /// <summary>Gets the variant's name.</summary>
    public required string Variant { get; init; }

    /// <summary>Gets the number of distinct units (users) exposed.</summary>
    public long Units { get; init; }

    /// <summary>Gets the number of units that accepted at least once (the unit-level conversion the tests compare).</summary>
    public long ConvertedUnits { get; init; }

    /// <summary>Gets the number of suggestions shown.</summary>
    public long Impressions { get; init; }

    /// <summary>Gets the number of suggestions accepted.</summary>
    public long Accepted { get; init; }

    /// <summary>Gets the number of suggestions clicked (opened), accepted or not.</summary>
    public long Clicks { get; init; }

    /// <summary>Gets the calls that fell back to the control because this variant threw or timed out.</summary>
    public long Fallbacks { get; init; }

    /// <summary>Gets accepted / impressions (NaN without impressions).</summary>
    public double AcceptanceRate => Impressions > 0 ? (double)Accepted / Impressions : double.NaN;

    /// <summary>Gets converted units / units (NaN without units).</summary>
    public double UnitConversionRate => Units > 0 ? (double)ConvertedUnits / Units : double.NaN;

    /// <summary>Gets the click-through rate per position (1-based): clicks at the position / impressions at the position.</summary>
    public IReadOnlyDictionary<int, double> ClickThroughRateAtPosition { get; init; } = new Dictionary<int, double>();

    /// <summary>Gets the mean seconds from showing a suggestion to the user's action (NaN when no action was timed).</summary>
    public double MeanTimeToActionSeconds { get; init; } = double.NaN;

    /// <summary>Gets the median seconds from showing a suggestion to the user's action (NaN when no action was timed).</summary>
    public double MedianTimeToActionSeconds { get; init; } = double.NaN;
}
