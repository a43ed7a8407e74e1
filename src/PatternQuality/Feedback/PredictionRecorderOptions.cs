using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Feedback;

/// <summary>Settings of <see cref="PredictionRecorder"/>: how many predictions may wait, how many go in one write, and the served decision's threshold.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="PredictionRecorderOptionsValidator"/> at host start-up
/// (<c>ValidateOnStart</c>) and by the recorder's constructor, every problem at once in an <see cref="OptionsValidationException"/>.
/// </remarks>
public class PredictionRecorderOptions
{
    /// <summary>Gets or sets how many predictions and outcomes may wait to be written; beyond it new ones are dropped and counted, never waited for.</summary>
    /// <value>The default value is 10,000 (about a second of a busy scorer; a few MB of memory). Allowed range: [1, 10,000,000].</value>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 10_000;

    /// <summary>Gets or sets the most predictions written to the log in one call.</summary>
    /// <value>The default value is 500. Allowed range: [1, 100,000].</value>
    /// <remarks>A batch is written as soon as the writer is free: under light load each prediction goes alone, under heavy load they queue into full batches.</remarks>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Gets or sets the score at or above which the served decision is "approve", the decision feedback is compared with.</summary>
    /// <value>The default value is 0.5. Allowed range: 0 to 1.</value>
    [Range(0.0, 1.0)]
    public double DecisionThreshold { get; set; } = 0.5;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new PredictionRecorderOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="PredictionRecorderOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PredictionRecorderOptionsValidator : IValidateOptions<PredictionRecorderOptions>;
