using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>Settings of <see cref="LightGbmLearner"/>, with ML.NET's names (<c>LightGbmBinaryTrainer.Options</c>).</summary>
/// <remarks>Unset (<see langword="null"/>) settings take ML.NET's defaults.</remarks>
public class LightGbmLearnerOptions
{
    /// <summary>Gets or sets the number of boosting iterations (trees).</summary>
    /// <value>The default value is 100 (ML.NET's). Allowed: 1 to 100,000.</value>
    public int NumberOfIterations { get; set; } = 100;

    /// <summary>Gets or sets the maximum number of leaves per tree, or <see langword="null"/> for ML.NET's default.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 2 to 131,072.</value>
    public int? NumberOfLeaves { get; set; }

    /// <summary>Gets or sets the minimum number of rows in a leaf, or <see langword="null"/> for ML.NET's default.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1,000,000.</value>
    public int? MinimumExampleCountPerLeaf { get; set; }

    /// <summary>Gets or sets the shrinkage, or <see langword="null"/> for ML.NET's default.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: greater than 0, at most 1.</value>
    public double? LearningRate { get; set; }

    /// <summary>Gets or sets the number of threads LightGBM trains with, or <see langword="null"/> for ML.NET's choice.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1,024.</value>
    public int? NumberOfThreads { get; set; }

    /// <summary>Gets or sets LightGBM's seed, or <see langword="null"/> for the ML.NET context's.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets a value indicating whether LightGBM runs deterministically (same model for the same data and seed).</summary>
    /// <value>The default value is <see langword="true"/>, so PatternQuality's retrains are reproducible.</value>
    public bool Deterministic { get; set; } = true;

    /// <summary>Throws when a setting is out of range, naming every such setting.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate() => new OptionChecks(nameof(LightGbmLearnerOptions), typeof(LightGbmLearnerOptions))
        .Range(nameof(NumberOfIterations), NumberOfIterations, 1, 100_000)
        .Range(nameof(NumberOfLeaves), NumberOfLeaves ?? 2, 2, 131_072)
        .Range(nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf ?? 1, 1, 1_000_000)
        .Above(nameof(LearningRate), LearningRate ?? 0.1, 0, 1)
        .Range(nameof(NumberOfThreads), NumberOfThreads ?? 1, 1, 1024)
        .ThrowIfAny();
}
