using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>Options of <see cref="ReplaySimulation"/>: how a time-ordered file is split and streamed.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="ReplaySimulationOptionsValidator"/>, which checks <see cref="Learner"/>
/// with the incremental learner's own validators: every problem reported at once in one
/// <see cref="OptionsValidationException"/>.
/// </remarks>
public class ReplaySimulationOptions
{
    /// <summary>Gets or sets the share of the rows, the earliest, that every contender trains on before streaming.</summary>
    /// <value>The default value is 0.7. Allowed: greater than 0, less than 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double InitialFraction { get; set; } = 0.7;

    /// <summary>Gets or sets the rows per streamed batch: each batch is scored by every contender, then learned from.</summary>
    /// <value>The default value is 100. Allowed: 1 or more.</value>
    [AtLeast(1)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets after how many streamed rows the retrain contender retrains from scratch on everything so far.</summary>
    /// <value>The default value is 2,000. Allowed: 1 or more.</value>
    [AtLeast(1)]
    public int RetrainEvery { get; set; } = 2_000;

    /// <summary>Gets or sets the settings of the incremental contender (the engine of <see cref="IncrementalLearner{TPattern}"/>).</summary>
    /// <value>The default value is an <see cref="IncrementalLearnerOptions"/> with its defaults. Its <see cref="IncrementalLearnerOptions.Seed"/> also seeds the initial and retrained models.</value>
    [Required]
    [ValidateObjectMembers(typeof(IncrementalLearnerOptionsValidator))]
    public IncrementalLearnerOptions Learner { get; set; } = new();
}

/// <summary>Checks the data annotations of <see cref="ReplaySimulationOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ReplaySimulationOptionsValidator : IValidateOptions<ReplaySimulationOptions>;

/// <summary>
/// Runs the incremental learner's rule between settings (the trigger fits in the collector) on <see cref="ReplaySimulationOptions.Learner"/>,
/// which the generated validator's nested check, made of data annotations only, does not cover.
/// </summary>
internal sealed class ReplaySimulationLearnerRulesValidator : IValidateOptions<ReplaySimulationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplaySimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = string.IsNullOrEmpty(name) ? nameof(ReplaySimulationOptions) : name;
        return options.Learner is null
            ? ValidateOptionsResult.Success // reported by [Required]
            : new IncrementalLearnerTriggerCapacityValidator().Validate($"{prefix}.{nameof(options.Learner)}", options.Learner);
    }
}
