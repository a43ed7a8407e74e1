using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

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
    [Range(0.0, 1000.0)]
    public double Delta { get; set; } = 0.05;

    /// <summary>Gets or sets the alarm threshold (lambda) on the cumulative deviation.</summary>
    /// <value>The default value is 50. Allowed range: (0, 1e9].</value>
    [Range(0.0, 1e9, MinimumIsExclusive = true)]
    public double Threshold { get; set; } = 50;

    /// <summary>Gets or sets the fading factor (alpha) applied to the cumulative deviation before each new value; 1 never forgets.</summary>
    /// <value>The default value is 0.9999. Allowed range: (0, 1].</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double Alpha { get; set; } = 0.9999;

    /// <summary>Gets or sets how many values must be seen before an alarm can be raised.</summary>
    /// <value>The default value is 30. Allowed range: [1, 1e9].</value>
    [Range(1, 1_000_000_000)]
    public int MinimumInstances { get; set; } = 30;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="PageHinkleyDetectorOptionsValidator"/>, generated from the data annotations above, as the constructor that takes these options does.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new PageHinkleyDetectorOptionsValidator());

    internal PageHinkleyDetectorOptions Clone() => (PageHinkleyDetectorOptions)MemberwiseClone();
}

/// <summary>Checks the data annotations of <see cref="PageHinkleyDetectorOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PageHinkleyDetectorOptionsValidator : IValidateOptions<PageHinkleyDetectorOptions>;
