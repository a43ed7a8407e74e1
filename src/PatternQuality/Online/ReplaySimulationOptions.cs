using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PatternQuality.Online;

/// <summary>Options of <see cref="ReplaySimulation"/>: how a time-ordered file is split and streamed.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="ReplaySimulationOptionsValidator"/> (every problem reported at once in
/// one <see cref="OptionsValidationException"/>), and <see cref="Learner"/> by its own rules.
/// </remarks>
public class ReplaySimulationOptions
{
    /// <summary>Gets or sets the share of the rows, the earliest, that every contender trains on before streaming.</summary>
    /// <value>Default 0.7; strictly between 0 and 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double InitialFraction { get; set; } = 0.7;

    /// <summary>Gets or sets the rows per streamed batch: each batch is scored by every contender, then learned from.</summary>
    /// <value>Default 100; 1 or more.</value>
    [Range(1, int.MaxValue)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets after how many streamed rows the retrain contender retrains from scratch on everything so far.</summary>
    /// <value>Default 2,000; 1 or more.</value>
    [Range(1, int.MaxValue)]
    public int RetrainEvery { get; set; } = 2_000;

    /// <summary>Gets or sets the settings of the incremental contender (the engine of <see cref="IncrementalLearner{TPattern}"/>).</summary>
    /// <value>Default: <see cref="IncrementalLearnerOptions"/>' defaults. Its <see cref="IncrementalLearnerOptions.Seed"/> also seeds the initial and retrained models.</value>
    [Required]
    public IncrementalLearnerOptions Learner { get; set; } = new();
}

/// <summary>Checks the data annotations of <see cref="ReplaySimulationOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ReplaySimulationOptionsValidator : IValidateOptions<ReplaySimulationOptions>;
