using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Trees;

/// <summary>Settings of <see cref="RandomForestLearner"/>.</summary>
public class RandomForestOptions
{
    /// <summary>Gets or sets the number of trees.</summary>
    /// <value>The default value is 100. Allowed: 1 to 100000.</value>
    [Range(1, 100_000)]
    public int NumberOfTrees { get; set; } = 100;

    /// <summary>Gets or sets the maximum depth of a tree.</summary>
    /// <value>The default value is 10. Allowed: 1 to 30.</value>
    [Range(1, 30)]
    public int MaximumDepth { get; set; } = 10;

    /// <summary>Gets or sets the minimum number of distinct training rows in a leaf.</summary>
    /// <value>The default value is 1. Allowed: 1 or more.</value>
    [AtLeast(1)]
    public int MinimumExampleCountPerLeaf { get; set; } = 1;

    /// <summary>Gets or sets the fraction of features tried at each split; <see langword="null"/> tries the square root of the feature count.</summary>
    /// <value>The default value is <see langword="null"/> (square root). Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double? FeatureFraction { get; set; }

    /// <summary>Gets or sets whether each tree trains on a bootstrap sample (rows drawn with replacement).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Bootstrap { get; set; } = true;

    /// <summary>Gets or sets how classes are weighted.</summary>
    /// <value>The default value is <see cref="ClassWeighting.Balanced"/>.</value>
    [EnumDataType(typeof(ClassWeighting), ErrorMessage = GradientBoostingOptions.ClassWeightingMessage)]
    public ClassWeighting ClassWeighting { get; set; } = ClassWeighting.Balanced;

    /// <summary>Gets or sets the maximum number of value bins per feature.</summary>
    /// <value>The default value is 255. Allowed: 2 to 255.</value>
    [Range(2, 255)]
    public int MaximumBinCountPerFeature { get; set; } = 255;

    /// <summary>Gets or sets the random seed for bootstrap and feature sampling.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the number of threads (trees are grown in parallel); <see langword="null"/> uses every core.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1024.</value>
    [Range(1, 1024)]
    public int? NumberOfThreads { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="RandomForestOptionsValidator"/>, the source-generated validator a host runs on start.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new RandomForestOptionsValidator());

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

/// <summary>Checks the data annotations of <see cref="RandomForestOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class RandomForestOptionsValidator : IValidateOptions<RandomForestOptions>;
