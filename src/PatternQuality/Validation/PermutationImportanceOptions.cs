using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Evaluation;
using PatternQuality.Internal;

namespace PatternQuality.Validation;

/// <summary>Settings of <see cref="PermutationImportance.Compute"/>.</summary>
public class PermutationImportanceOptions
{
    /// <summary>Gets or sets the metric whose loss measures importance.</summary>
    /// <value>The default value is <see cref="EvaluationMetric.Auc"/>.</value>
    [EnumDataType(typeof(EvaluationMetric), ErrorMessage = "The field {0} must be Auc, PrAuc, LogLoss, Brier, Accuracy, F1 or Ece.")]
    public EvaluationMetric Metric { get; set; } = EvaluationMetric.Auc;

    /// <summary>Gets or sets how many times each column is shuffled.</summary>
    /// <value>The default value is 5. Allowed: 1 to 1000.</value>
    [Range(1, 1000)]
    public int Repeats { get; set; } = 5;

    /// <summary>Gets or sets the shuffling seed.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="PermutationImportanceOptionsValidator"/>, generated from the data annotations above, as <see cref="PermutationImportance.Compute"/> does.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new PermutationImportanceOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="PermutationImportanceOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PermutationImportanceOptionsValidator : IValidateOptions<PermutationImportanceOptions>;
