using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>Settings of <see cref="FastTreeLearner"/>, with ML.NET's names and defaults (<c>FastTreeBinaryTrainer.Options</c>).</summary>
public class FastTreeLearnerOptions
{
    /// <summary>Gets or sets the number of trees.</summary>
    /// <value>The default value is 100 (ML.NET's). Allowed: 1 to 100,000.</value>
    public int NumberOfTrees { get; set; } = 100;

    /// <summary>Gets or sets the maximum number of leaves per tree.</summary>
    /// <value>The default value is 20 (ML.NET's). Allowed: 2 to 131,072.</value>
    public int NumberOfLeaves { get; set; } = 20;

    /// <summary>Gets or sets the minimum number of rows in a leaf.</summary>
    /// <value>The default value is 10 (ML.NET's). Allowed: 1 to 1,000,000.</value>
    public int MinimumExampleCountPerLeaf { get; set; } = 10;

    /// <summary>Gets or sets the shrinkage applied to each tree.</summary>
    /// <value>The default value is 0.2 (ML.NET's). Allowed: greater than 0, at most 1.</value>
    public double LearningRate { get; set; } = 0.2;

    /// <summary>Gets or sets the number of threads ML.NET trains with, or <see langword="null"/> for ML.NET's choice.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1,024.</value>
    public int? NumberOfThreads { get; set; }

    /// <summary>Gets or sets the seed of ML.NET's random choices.</summary>
    /// <value>The default value is 123 (ML.NET's).</value>
    public int Seed { get; set; } = 123;

    /// <summary>Throws when a setting is out of range, naming every such setting.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate() => new OptionChecks(nameof(FastTreeLearnerOptions), typeof(FastTreeLearnerOptions))
        .Range(nameof(NumberOfTrees), NumberOfTrees, 1, 100_000)
        .Range(nameof(NumberOfLeaves), NumberOfLeaves, 2, 131_072)
        .Range(nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf, 1, 1_000_000)
        .Above(nameof(LearningRate), LearningRate, 0, 1)
        .Range(nameof(NumberOfThreads), NumberOfThreads ?? 1, 1, 1024)
        .ThrowIfAny();
}
