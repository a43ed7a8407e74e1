using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>Settings of <see cref="FastForestLearner"/>, with ML.NET's names and defaults (<c>FastForestBinaryTrainer.Options</c>).</summary>
public class FastForestLearnerOptions
{
    /// <summary>Gets or sets the number of trees.</summary>
    /// <value>The default value is 100 (ML.NET's). Allowed: 1 to 100,000.</value>
    [Range(1, 100_000)]
    public int NumberOfTrees { get; set; } = 100;

    /// <summary>Gets or sets the maximum number of leaves per tree.</summary>
    /// <value>The default value is 20 (ML.NET's). Allowed: 2 to 131,072.</value>
    [Range(2, 131_072)]
    public int NumberOfLeaves { get; set; } = 20;

    /// <summary>Gets or sets the minimum number of rows in a leaf.</summary>
    /// <value>The default value is 10 (ML.NET's). Allowed: 1 to 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int MinimumExampleCountPerLeaf { get; set; } = 10;

    /// <summary>Gets or sets the share of features each tree may split on.</summary>
    /// <value>The default value is 0.7 (ML.NET's). Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double FeatureFraction { get; set; } = 0.7;

    /// <summary>Gets or sets the share of rows each tree is grown on.</summary>
    /// <value>The default value is 0.7 (ML.NET's). Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double BaggingExampleFraction { get; set; } = 0.7;

    /// <summary>Gets or sets the number of threads ML.NET trains with, or <see langword="null"/> for ML.NET's choice.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1,024.</value>
    [Range(1, 1024)]
    public int? NumberOfThreads { get; set; }

    /// <summary>Gets or sets the seed of ML.NET's random choices.</summary>
    /// <value>The default value is 123 (ML.NET's).</value>
    public int Seed { get; set; } = 123;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>
    /// Runs <see cref="FastForestLearnerOptionsValidator"/>, generated from the data annotations above: the validator
    /// <c>ValidateOnStart</c> runs in a host, and the one <see cref="FastForestLearner"/> runs when created and before every fit.
    /// </remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new FastForestLearnerOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="FastForestLearnerOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class FastForestLearnerOptionsValidator : IValidateOptions<FastForestLearnerOptions>;
