using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>Settings of <see cref="UpdateTrigger"/>: an update is due when enough feedback is waiting, or it has waited long enough.</summary>
public class UpdateTriggerOptions
{
    /// <summary>Gets or sets how many waiting records make an update due.</summary>
    /// <value>The default value is 1,000. Allowed range: [1, 10,000,000].</value>
    [Range(1, 10_000_000)]
    public int CountThreshold { get; set; } = 1_000;

    /// <summary>Gets or sets how long the oldest waiting record may wait before an update is due, however few records there are.</summary>
    /// <value>The default value is 15 minutes. Allowed range: 1 millisecond to 30 days, or <see cref="Timeout.InfiniteTimeSpan"/> to trigger on count and request only.</value>
    [TimeSpanRange("00:00:00.001", "30.00:00:00", AllowInfinite = true)]
    public TimeSpan MaximumAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="UpdateTriggerOptionsValidator"/>, the source-generated validator a host runs on start.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new UpdateTriggerOptionsValidator());

    internal UpdateTriggerOptions Clone() => (UpdateTriggerOptions)MemberwiseClone();
}

/// <summary>Checks the data annotations of <see cref="UpdateTriggerOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class UpdateTriggerOptionsValidator : IValidateOptions<UpdateTriggerOptions>;
