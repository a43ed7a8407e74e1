using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Trees;

/// <summary>Settings of <see cref="GradientBoostingLearner"/>. Names follow ML.NET FastTree where it has one.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="GradientBoostingOptionsValidator"/> from the data annotations: by the
/// learner (through <see cref="Validate"/>) and, when nested in options a host registers, at host start-up; every
/// out-of-range setting is reported in one <see cref="OptionsValidationException"/>.
/// </remarks>
public class GradientBoostingOptions
{
    /// <summary>Gets or sets the number of boosting rounds (trees per class).</summary>
    /// <value>The default value is 100. Allowed: 1 to 100000.</value>
    [Range(1, 100_000)]
    public int NumberOfTrees { get; set; } = 100;

    /// <summary>Gets or sets the maximum number of leaves per tree; trees grow best-first (leaf-wise).</summary>
    /// <value>The default value is 31. Allowed: 2 to 131072.</value>
    [Range(2, 131_072)]
    public int NumberOfLeaves { get; set; } = 31;

    /// <summary>Gets or sets the minimum number of training rows in a leaf.</summary>
    /// <value>The default value is 20. Allowed: 1 or more.</value>
    /// <remarks>A training set with fewer than twice this many rows yields a single-leaf model (see <see cref="TreeEnsembleModel.TrainingWarnings"/>).</remarks>
    [AtLeast(1)]
    public int MinimumExampleCountPerLeaf { get; set; } = 20;

    /// <summary>Gets or sets the shrinkage applied to every tree's leaf values.</summary>
    /// <value>The default value is 0.1. Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Gets or sets the maximum number of value bins per feature (a missing-value bin comes on top).</summary>
    /// <value>The default value is 255. Allowed: 2 to 255.</value>
    [Range(2, 255)]
    public int MaximumBinCountPerFeature { get; set; } = 255;

    /// <summary>Gets or sets the L2 penalty on leaf values (added to the hessian sum).</summary>
    /// <value>The default value is 0 (as LightGBM's <c>lambda_l2</c>; XGBoost's <c>lambda</c> defaults to 1). Allowed: 0 or more.</value>
    [AtLeast(0.0)]
    public double L2Regularization { get; set; }

    /// <summary>Gets or sets the minimum loss reduction a split must bring.</summary>
    /// <value>The default value is 0. Allowed: 0 or more.</value>
    [AtLeast(0.0)]
    public double MinimumSplitGain { get; set; }

    /// <summary>Gets or sets the minimum hessian sum (weight) in a leaf.</summary>
    /// <value>The default value is 0.001. Allowed: 0 or more.</value>
    [AtLeast(0.0)]
    public double MinimumChildWeight { get; set; } = 1e-3;

    /// <summary>Gets or sets the fraction of features each tree may split on, drawn afresh per tree.</summary>
    /// <value>The default value is 1. Allowed: greater than 0, at most 1.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double FeatureFraction { get; set; } = 1.0;

    /// <summary>Gets or sets the fraction of rows each bagging round keeps.</summary>
    /// <value>The default value is 1 (no bagging). Allowed: greater than 0, at most 1.</value>
    /// <remarks>Takes effect only when <see cref="BaggingFrequency"/> is positive.</remarks>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double BaggingFraction { get; set; } = 1.0;

    /// <summary>Gets or sets how often (in rounds) rows are re-sampled; 0 turns bagging off.</summary>
    /// <value>The default value is 0. Allowed: 0 or more.</value>
    [AtLeast(0)]
    public int BaggingFrequency { get; set; }

    /// <summary>Gets or sets the maximum depth of a tree; 0 means no limit other than <see cref="NumberOfLeaves"/>.</summary>
    /// <value>The default value is 0. Allowed: 0 to 64.</value>
    [Range(0, 64)]
    public int MaximumDepth { get; set; }

    /// <summary>Gets or sets how many rounds without improvement on the validation set stop training; 0 turns early stopping off.</summary>
    /// <value>The default value is 0. Allowed: 0 or more.</value>
    /// <remarks>Needs a validation set. The model keeps the trees up to the best round.</remarks>
    [AtLeast(0)]
    public int EarlyStoppingRounds { get; set; }

    /// <summary>Gets or sets how classes are weighted.</summary>
    /// <value>The default value is <see cref="ClassWeighting.None"/>.</value>
    [EnumDataType(typeof(ClassWeighting), ErrorMessage = ClassWeightingMessage)]
    public ClassWeighting ClassWeighting { get; set; } = ClassWeighting.None;

    /// <summary>Gets or sets the random seed for feature and row sampling.</summary>
    /// <value>The default value is 0.</value>
    /// <remarks>A fixed seed gives a bit-identical model at any <see cref="NumberOfThreads"/>.</remarks>
    public int Seed { get; set; }

    /// <summary>Gets or sets the number of threads; <see langword="null"/> uses every core.</summary>
    /// <value>The default value is <see langword="null"/>. Allowed: 1 to 1024.</value>
    [Range(1, 1024)]
    public int? NumberOfThreads { get; set; }

    /// <summary>Gets or sets the smoothing added to a category's hessian when categories are ordered for a split.</summary>
    /// <value>The default value is 10. Allowed: 0 or more.</value>
    [AtLeast(0.0)]
    public double CategoricalSmoothing { get; set; } = 10.0;

    /// <summary>Gets or sets the extra L2 penalty on categorical splits.</summary>
    /// <value>The default value is 10. Allowed: 0 or more.</value>
    [AtLeast(0.0)]
    public double CategoricalL2Regularization { get; set; } = 10.0;

    /// <summary>Gets or sets the most categories a many-vs-many categorical split may send left (the split points its scan tries from each end of the category order).</summary>
    /// <value>The default value is 32 (as LightGBM's <c>max_cat_threshold</c>). Allowed: 1 to 255.</value>
    /// <remarks>
    /// The categories are ordered by their smoothed mean gradient on the training rows, so a long prefix fits noise on a
    /// column with many levels: a small cap (4) keeps each split to a few categories against the rest, and deeper trees
    /// still combine more. With <see cref="MinimumExampleCountPerCategoryGroup"/> 100 and
    /// <see cref="CategoricalOneVsRestFallback"/> on, it is the regularized setting measured in docs/incremental.md
    /// ("Categorical splits", <c>benchmarks/compare/categorical_suite.py</c>); it is not the default because it lost on
    /// small training sets (a few hundred rows), where a group of 100 rows leaves no categorical split at all.
    /// </remarks>
    [Range(1, 255)]
    public int MaximumCategoricalSplitPointCount { get; set; } = 32;

    /// <summary>Gets or sets the category count up to which a categorical feature is split one category against the rest.</summary>
    /// <value>The default value is 4. Allowed: 1 to 255.</value>
    [Range(1, 255)]
    public int MaximumCategoricalOneHotCount { get; set; } = 4;

    /// <summary>Gets or sets the minimum rows a category needs to be placed by gradient order (rarer ones go right).</summary>
    /// <value>The default value is 10. Allowed: 1 or more.</value>
    [AtLeast(1)]
    public int MinimumExampleCountPerCategory { get; set; } = 10;

    /// <summary>Gets or sets the minimum rows a group of categories needs before a many-vs-many categorical split may cut after it, and the minimum rows on the split's right side.</summary>
    /// <value>The default value is 1 (every cut is tried, the rule is off); LightGBM's <c>min_data_per_group</c> is 100. Allowed: 1 or more.</value>
    /// <remarks>
    /// A many-vs-many split scans the categories in gradient order and may only cut once the categories added since
    /// the last cut it tried hold this many rows, so rare categories move in groups instead of being split off one by
    /// one because their few rows happened to agree. Features with at most <see cref="MaximumCategoricalOneHotCount"/>
    /// categories, one-vs-rest candidates and numeric features are not affected.
    /// </remarks>
    [AtLeast(1)]
    public int MinimumExampleCountPerCategoryGroup { get; set; } = 1;

    /// <summary>Gets or sets whether a categorical feature with more than <see cref="MaximumCategoricalOneHotCount"/> categories also tries every category against the rest, and keeps that split when it scores better than the best many-vs-many split.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>
    /// One category against the rest is the split a one-hot encoding offers; it is scored with <see cref="L2Regularization"/>
    /// only, the many-vs-many split with <see cref="CategoricalL2Regularization"/> on top, so a column with hundreds of
    /// levels splits as one-hot would unless a category group earns the extra penalty.
    /// </remarks>
    public bool CategoricalOneVsRestFallback { get; set; }

    /// <summary>The message of an undefined <see cref="Trees.ClassWeighting"/>, naming the allowed values.</summary>
    internal const string ClassWeightingMessage = "The field {0} must be None or Balanced.";

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>
    /// Runs <see cref="GradientBoostingOptionsValidator"/>, the source-generated validator that <c>ValidateOnStart</c> runs
    /// in a host, so both report the same problems in the same words.
    /// </remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new GradientBoostingOptionsValidator());

    /// <summary>Returns a copy (every setting is a value), for runs that change one setting without touching the caller's object.</summary>
    internal GradientBoostingOptions Copy() => (GradientBoostingOptions)MemberwiseClone();

    /// <summary>Lists the settings as invariant name/value pairs, for the model file.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Describe() =>
    [
        Pair(nameof(NumberOfTrees), NumberOfTrees),
        Pair(nameof(NumberOfLeaves), NumberOfLeaves),
        Pair(nameof(MinimumExampleCountPerLeaf), MinimumExampleCountPerLeaf),
        Pair(nameof(LearningRate), LearningRate),
        Pair(nameof(MaximumBinCountPerFeature), MaximumBinCountPerFeature),
        Pair(nameof(L2Regularization), L2Regularization),
        Pair(nameof(MinimumSplitGain), MinimumSplitGain),
        Pair(nameof(MinimumChildWeight), MinimumChildWeight),
        Pair(nameof(FeatureFraction), FeatureFraction),
        Pair(nameof(BaggingFraction), BaggingFraction),
        Pair(nameof(BaggingFrequency), BaggingFrequency),
        Pair(nameof(MaximumDepth), MaximumDepth),
        Pair(nameof(EarlyStoppingRounds), EarlyStoppingRounds),
        Pair(nameof(ClassWeighting), ClassWeighting),
        Pair(nameof(Seed), Seed),
        Pair(nameof(CategoricalSmoothing), CategoricalSmoothing),
        Pair(nameof(CategoricalL2Regularization), CategoricalL2Regularization),
        Pair(nameof(MaximumCategoricalSplitPointCount), MaximumCategoricalSplitPointCount),
        Pair(nameof(MaximumCategoricalOneHotCount), MaximumCategoricalOneHotCount),
        Pair(nameof(MinimumExampleCountPerCategory), MinimumExampleCountPerCategory),
        Pair(nameof(MinimumExampleCountPerCategoryGroup), MinimumExampleCountPerCategoryGroup),
        Pair(nameof(CategoricalOneVsRestFallback), CategoricalOneVsRestFallback),
    ];

    internal static KeyValuePair<string, string> Pair(string name, object value)
        => new(name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
}

/// <summary>Checks the data annotations of <see cref="GradientBoostingOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class GradientBoostingOptionsValidator : IValidateOptions<GradientBoostingOptions>;
