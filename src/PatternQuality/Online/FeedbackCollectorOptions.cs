using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>Settings of <see cref="FeedbackCollector{TPattern}"/>.</summary>
public class FeedbackCollectorOptions
{
    /// <summary>Gets or sets how many records the collector holds before writers must wait (backpressure).</summary>
    /// <value>The default value is 10,000. Allowed range: [1, 10,000,000].</value>
    /// <remarks>Must be at least <see cref="UpdateTriggerOptions.CountThreshold"/> of the trigger given with it, or a full collector could never trigger an update.</remarks>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 10_000;

    /// <summary>Gets or sets how many recent record ids are remembered to discard duplicates; 0 turns duplicate detection off.</summary>
    /// <value>The default value is 100,000. Allowed range: [0, 10,000,000].</value>
    /// <remarks>A duplicate older than this window is accepted again: memory stays bounded however long the stream runs.</remarks>
    [Range(0, 10_000_000)]
    public int DuplicateWindow { get; set; } = 100_000;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="FeedbackCollectorOptionsValidator"/>, the source-generated validator a host runs on start.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new FeedbackCollectorOptionsValidator());

    internal FeedbackCollectorOptions Clone() => (FeedbackCollectorOptions)MemberwiseClone();
}

/// <summary>Checks the data annotations of <see cref="FeedbackCollectorOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class FeedbackCollectorOptionsValidator : IValidateOptions<FeedbackCollectorOptions>;
