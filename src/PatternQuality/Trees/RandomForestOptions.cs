using Microsoft.Extensions.Options;

namespace PatternQuality.Trees;

/// <summary>Settings of <see cref="RandomForestLearner"/>.</summary>
public class RandomForestOptions
{
    /// <summary>Gets or sets the number of trees.</summary>
    /// <value>The default value is 100. Allowed: 1 to 100000.</value>
    public int NumberOfTrees { get; set; } = 100;

    /// <summary>Gets or sets the maximum depth of a tree.</summary>
    /// <value>The default value is 10. Allowed: 1 to 30.</value>
    public int MaximumDepth { get; set; } = 10;

    /// <summary>Gets or sets the minimum number of distinct training rows in a leaf.</summary>
    /// <value>The default value is 1. Allowed: 1 or more.</value>
    public int MinimumExampleCountPerLeaf { get; set; } = 1;

    /// <summary>Gets or sets the fraction of features tried at each split; <see langword="null"/> tries the square root of the feature count.</summary>
    /// <value>The default value is <see langword="null"/> (square root). Allowed: greater than 0, at most 1.</value>
    public double? FeatureFraction { get; set; }

    /// <summary>Gets or sets whether each tree trains on a bootstrap sample (rows drawn with replacement).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Bootstrap { get; set; } = true;

    /// <summary>Gets or sets how classes are weighted.</summary>
    /// <value>The default value is <see cref="ClassWeighting.Balanced"/>.</value>
    public ClassWeighting ClassWeighting { get; set; } = ClassWeighting.Balanced;

    /// <summary>Gets or sets the maximum number of value bins per feature.</summary>
    /// <value>The default value is 255. Allowed: 2 to 255.</value>
    public int MaximumBinCountPerFeature { get; set; } = 255;

    /// <summary>Gets or sets the random seed for bootstrap and feature sampling.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the number of threads (trees are grown in parallel); <see langword="null"/> uses every core.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1024.</value>
    public int? NumberOfThreads { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        GradientBoostingOptions.Range(errors, nameof(NumberOfTrees), NumberOfTrees, 1, 100_000);
        GradientBoostingOptions.Range(errors, nameof(MaximumDepth), MaximumDepth, 1, 30);
        GradientBoostingOptions.Range(errors, nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf, 1, int.MaxValue);
        if (FeatureFraction is { } ff)
        {
            GradientBoostingOptions.OpenClosed(errors, nameof(FeatureFraction), ff);
        }

        if (!Enum.IsDefined(ClassWeighting))
        {
            errors.Add($"{nameof(ClassWeighting)} is {(int)ClassWeighting}; allowed: None or Balanced.");
        }

        GradientBoostingOptions.Range(errors, nameof(MaximumBinCountPerFeature), MaximumBinCountPerFeature, 2, 255);
        if (NumberOfThreads is { } threads)
        {
            GradientBoostingOptions.Range(errors, nameof(NumberOfThreads), threads, 1, 1024);
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(RandomForestOptions), typeof(RandomForestOptions), errors);
        }
    }

    /// <summary>Lists the settings as invariant name/value pairs, for the model file.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Describe() =>
    [
        GradientBoostingOptions.Pair(nameof(NumberOfTrees), NumberOfTrees),
        GradientBoostingOptions.Pair(nameof(MaximumDepth), MaximumDepth),
        GradientBoostingOptions.Pair(nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf),
        GradientBoostingOptions.Pair(nameof(FeatureFraction), FeatureFraction?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "sqrt"),
        GradientBoostingOptions.Pair(nameof(Bootstrap), Bootstrap),
        GradientBoostingOptions.Pair(nameof(ClassWeighting), ClassWeighting),
        GradientBoostingOptions.Pair(nameof(MaximumBinCountPerFeature), MaximumBinCountPerFeature),
        GradientBoostingOptions.Pair(nameof(Seed), Seed),
    ];
}
