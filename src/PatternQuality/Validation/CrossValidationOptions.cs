using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Validation;

/// <summary>Settings of <see cref="CrossValidator.Run"/>.</summary>
public class CrossValidationOptions
{
    /// <summary>Gets or sets the number of folds.</summary>
    /// <value>The default value is 5. Allowed: 2 to 1000.</value>
    [Range(2, 1000)]
    public int Folds { get; set; } = 5;

    /// <summary>Gets or sets a value indicating whether folds keep each group (user) together, using <see cref="Data.Dataset.Groups"/>.</summary>
    /// <value>The default value is <see langword="false"/> (stratified by label).</value>
    /// <remarks>When <see langword="true"/> the dataset must have groups and <see cref="Seed"/> is not used.</remarks>
    public bool Grouped { get; set; }

    /// <summary>Gets or sets the shuffling seed of stratified folds.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the decision threshold for accuracy, precision, recall and F1.</summary>
    /// <value>The default value is 0.5. Allowed: 0 to 1.</value>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="CrossValidationOptionsValidator"/>, generated from the data annotations above, as <see cref="CrossValidator.Run"/> does.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new CrossValidationOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="CrossValidationOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class CrossValidationOptionsValidator : IValidateOptions<CrossValidationOptions>;
