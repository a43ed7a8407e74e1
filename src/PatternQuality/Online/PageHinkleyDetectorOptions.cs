namespace PatternQuality.Online;

/// <summary>Settings of <see cref="PageHinkleyDetector"/>.</summary>
/// <remarks>
/// The detector sums how far each value lies above the running mean, minus <see cref="Delta"/>, and alarms when that
/// sum has risen more than <see cref="Threshold"/> above its lowest point. A larger <see cref="Threshold"/> gives fewer
/// false alarms and a longer delay; a larger <see cref="Delta"/> ignores smaller increases.
/// </remarks>
public class PageHinkleyDetectorOptions
{
    /// <summary>Gets or sets the increase of the mean, per value, that is tolerated without counting toward an alarm.</summary>
    /// <value>The default value is 0.05, sized for a per-record log loss (values around 0.1 to 2). Allowed range: [0, 1000].</value>
    public double Delta { get; set; } = 0.05;

    /// <summary>Gets or sets the alarm threshold (lambda) on the cumulative deviation.</summary>
    /// <value>The default value is 50. Allowed range: (0, 1e9].</value>
    public double Threshold { get; set; } = 50;

    /// <summary>Gets or sets the fading factor (alpha) applied to the cumulative deviation before each new value; 1 never forgets.</summary>
    /// <value>The default value is 0.9999. Allowed range: (0, 1].</value>
    public double Alpha { get; set; } = 0.9999;

    /// <summary>Gets or sets how many values must be seen before an alarm can be raised.</summary>
    /// <value>The default value is 30. Allowed range: [1, 1e9].</value>
    public int MinimumInstances { get; set; } = 30;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its allowed range.</exception>
    public void Validate()
    {
        if (!(Delta >= 0 && Delta <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "PageHinkleyDetectorOptions.Delta must be in [0, 1000].");
        }

        if (!(Threshold > 0 && Threshold <= 1e9))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "PageHinkleyDetectorOptions.Threshold must be in (0, 1e9].");
        }

        if (!(Alpha > 0 && Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "PageHinkleyDetectorOptions.Alpha must be in (0, 1].");
        }

        if (MinimumInstances is < 1 or > 1_000_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumInstances), MinimumInstances, "PageHinkleyDetectorOptions.MinimumInstances must be in [1, 1e9].");
        }
    }

    internal PageHinkleyDetectorOptions Clone() => (PageHinkleyDetectorOptions)MemberwiseClone();
}
