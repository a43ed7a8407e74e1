using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>Settings of <see cref="AdwinDetector"/>.</summary>
public class AdwinDetectorOptions
{
    /// <summary>Gets or sets the confidence parameter: the bound on the false-alarm probability of each check.</summary>
    /// <value>The default value is 0.002. Allowed range: (0, 1).</value>
    /// <remarks>Smaller values give fewer false alarms and a longer detection delay.</remarks>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Delta { get; set; } = 0.002;

    /// <summary>Gets or sets how many buckets of each size the exponential histogram keeps before merging the two oldest.</summary>
    /// <value>The default value is 5. Allowed range: [2, 100].</value>
    /// <remarks>More buckets place the candidate cut points more finely, at the cost of memory and check time.</remarks>
    [Range(2, 100)]
    public int MaximumBucketsPerSize { get; set; } = 5;

    /// <summary>Gets or sets how many values are added between two checks for a change.</summary>
    /// <value>The default value is 32. Allowed range: [1, 1e6].</value>
    [Range(1, 1_000_000)]
    public int CheckInterval { get; set; } = 32;

    /// <summary>Gets or sets the fewest values each side of a cut must hold before the cut is tested.</summary>
    /// <value>The default value is 10. Allowed range: [1, 1e6].</value>
    [Range(1, 1_000_000)]
    public int MinimumSubwindowLength { get; set; } = 10;

    /// <summary>Gets or sets whether a fall in the mean also raises an alarm.</summary>
    /// <value>The default value is <see langword="false"/>: on a loss stream only a rise is drift worth acting on.</value>
    /// <remarks>The window shrinks on any change either way; this only decides whether a fall is reported.</remarks>
    public bool AlarmOnDecrease { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="AdwinDetectorOptionsValidator"/>, generated from the data annotations above, as the constructor that takes these options does.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new AdwinDetectorOptionsValidator());

    internal AdwinDetectorOptions Clone() => (AdwinDetectorOptions)MemberwiseClone();
}

/// <summary>Checks the data annotations of <see cref="AdwinDetectorOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class AdwinDetectorOptionsValidator : IValidateOptions<AdwinDetectorOptions>;
