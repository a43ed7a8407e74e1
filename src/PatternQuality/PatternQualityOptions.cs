using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PatternQuality;

/// <summary>Settings of the PatternQuality services registered by <c>AddPatternQuality</c>.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="PatternQualityOptionsValidator"/>: at host start-up
/// (<c>ValidateOnStart</c>) and by the constructors that take them, so they also work without a container and report
/// every problem at once in an <see cref="OptionsValidationException"/>.
/// </remarks>
public class PatternQualityOptions
{
    /// <summary>Gets or sets the score given to every pattern before any model has been loaded or trained.</summary>
    /// <value>The default value is 0.5. Allowed range: 0 to 1.</value>
    [Range(0.0, 1.0)]
    public double DefaultScore { get; set; } = 0.5;
}

/// <summary>Checks the data annotations of <see cref="PatternQualityOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PatternQualityOptionsValidator : IValidateOptions<PatternQualityOptions>;
