using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;
using PatternQuality.Trees;

namespace PatternQuality.ActiveLearning;

/// <summary>Options of <see cref="ActiveLearningSimulation"/>: the pool-based protocol that compares query strategies.</summary>
public class ActiveLearningSimulationOptions
{
    /// <summary>Gets or sets how many labels, drawn at random, every strategy starts from.</summary>
    /// <value>The default value is 100. Allowed: 2 or more.</value>
    [AtLeast(2)]
    public int StartLabels { get; set; } = 100;

    /// <summary>Gets or sets how many labels each round asks for.</summary>
    /// <value>The default value is 100. Allowed: 1 or more.</value>
    [AtLeast(1)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets the number of labels at which a run stops.</summary>
    /// <value>The default value is 2,000. Allowed: <see cref="StartLabels"/> or more.</value>
    public int Budget { get; set; } = 2_000;

    /// <summary>Gets or sets how many seeds (splits, starting sets and model seeds) the curves average over.</summary>
    /// <value>The default value is 5. Allowed: 1 to 100.</value>
    [Range(1, 100)]
    public int Seeds { get; set; } = 5;

    /// <summary>Gets or sets the fraction of rows held out to measure test AUC (a stratified random split per seed).</summary>
    /// <value>The default value is 0.2. Allowed: 0.01 to 0.99.</value>
    [Range(0.01, 0.99)]
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the model trained after every round.</summary>
    /// <value>The default value is 100 trees of 15 leaves, the protocol of the XGBoost anchor in docs/active-learning.md.</value>
    [Required]
    [ValidateObjectMembers(typeof(GradientBoostingOptionsValidator))]
    public GradientBoostingOptions Model { get; set; } = new() { NumberOfTrees = 100, NumberOfLeaves = 15 };

    /// <summary>Throws when a setting is out of range or the settings are inconsistent.</summary>
    /// <remarks>
    /// Runs the source-generated <see cref="ActiveLearningSimulationOptionsValidator"/> (ranges, the nested
    /// <see cref="Model"/>) and the rule that <see cref="Budget"/> is at least <see cref="StartLabels"/>, as
    /// <see cref="ActiveLearningSimulation.Run"/> does.
    /// </remarks>
    /// <exception cref="OptionsValidationException">One or more options are invalid; every failure is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new ActiveLearningSimulationOptionsValidator(), new ActiveLearningSimulationBudgetValidator());
}

/// <summary>Checks the data annotations of <see cref="ActiveLearningSimulationOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ActiveLearningSimulationOptionsValidator : IValidateOptions<ActiveLearningSimulationOptions>;

/// <summary>The rule between two settings that data annotations cannot state: the budget covers the starting labels.</summary>
internal sealed class ActiveLearningSimulationBudgetValidator : IValidateOptions<ActiveLearningSimulationOptions>
{
    public ValidateOptionsResult Validate(string? name, ActiveLearningSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = string.IsNullOrEmpty(name) ? nameof(ActiveLearningSimulationOptions) : name;
        return options.Budget < options.StartLabels
            ? ValidateOptionsResult.Fail($"{prefix}.{nameof(options.Budget)} ({options.Budget}) must be at least {prefix}.{nameof(options.StartLabels)} ({options.StartLabels}).")
            : ValidateOptionsResult.Success;
    }
}
