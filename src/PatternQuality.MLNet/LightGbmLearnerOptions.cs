using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>Settings of <see cref="LightGbmLearner"/>, with ML.NET's names (<c>LightGbmBinaryTrainer.Options</c>).</summary>
/// <remarks>Unset (<see langword="null"/>) settings take ML.NET's defaults.</remarks>
public class LightGbmLearnerOptions
{
    /// <summary>Gets or sets the number of boosting iterations (trees).</summary>
    /// <value>The default value is 100 (ML.NET's). Allowed: 1 to 100,000.</value>
    [Range(1, 100_000)]
    public int NumberOfIterations { get; set; } = 100;

    /// <summary>Gets or sets the maximum number of leaves per tree, or <see langword="null"/> for ML.NET's default.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 2 to 131,072.</value>
    [Range(2, 131_072)]
    public int? NumberOfLeaves { get; set; }

    /// <summary>Gets or sets the minimum number of rows in a leaf, or <see langword="null"/> for ML.NET's default.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int? MinimumExampleCountPerLeaf { get; set; }

    /// <summary>Gets or sets the shrinkage, or <see langword="null"/> for ML.NET's default.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double? LearningRate { get; set; }

    /// <summary>Gets or sets the number of threads LightGBM trains with, or <see langword="null"/> for ML.NET's choice.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1,024.</value>
    [Range(1, 1024)]
    public int? NumberOfThreads { get; set; }

    /// <summary>Gets or sets LightGBM's seed, or <see langword="null"/> for the ML.NET context's.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets a value indicating whether LightGBM runs deterministically (same model for the same data and seed).</summary>
    /// <value>The default value is <see langword="true"/>, so PatternQuality's retrains are reproducible.</value>
    public bool Deterministic { get; set; } = true;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>
    /// Runs <see cref="LightGbmLearnerOptionsValidator"/>, generated from the data annotations above: the validator
    /// <c>ValidateOnStart</c> runs in a host, and the one <see cref="LightGbmLearner"/> runs when created and before every fit.
    /// </remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new LightGbmLearnerOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="LightGbmLearnerOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class LightGbmLearnerOptionsValidator : IValidateOptions<LightGbmLearnerOptions>;
