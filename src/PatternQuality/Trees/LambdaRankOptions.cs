using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Evaluation;
using PatternQuality.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// Settings of the LambdaRank (LambdaMART) objective that <see cref="GradientBoostingLearner.FitRanking"/> boosts:
/// pairwise lambdas within each query, weighted by how much swapping the pair would change the query's NDCG.
/// </summary>
/// <remarks>The defaults are LightGBM's <c>lambdarank</c> defaults.</remarks>
public class LambdaRankOptions
{
    /// <summary>The largest relevance label the gain table covers.</summary>
    public const int MaximumLabel = 31;

    /// <summary>Gets or sets how many top positions of each query generate pairs (LightGBM's <c>lambdarank_truncation_level</c>).</summary>
    /// <value>The default value is 30. Allowed range: 1 to 10,000.</value>
    [Range(1, 10_000)]
    public int TruncationLevel { get; set; } = 30;

    /// <summary>Gets or sets the gain of a relevance label in the NDCG the lambdas optimise.</summary>
    /// <value>
    /// The default value is <see cref="NdcgGain.Exponential"/> (gain 2^label - 1, LightGBM's default <c>label_gain</c>);
    /// <see cref="NdcgGain.Linear"/> uses gain = label, scikit-learn's <c>ndcg_score</c> convention.
    /// </value>
    [EnumDataType(typeof(NdcgGain), ErrorMessage = "The field {0} must be Exponential or Linear.")]
    public NdcgGain Gain { get; set; } = NdcgGain.Exponential;

    /// <summary>Gets or sets a value indicating whether each query's lambdas are normalised (LightGBM's <c>lambdarank_norm</c>), so long queries do not dominate.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NormalizeQueries { get; set; } = true;

    /// <summary>Gets or sets the steepness of the pairwise logistic loss (LightGBM's <c>sigmoid</c>).</summary>
    /// <value>The default value is 1. Allowed range: greater than 0, at most 100.</value>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double Sigmoid { get; set; } = 1.0;

    /// <summary>Gets or sets the cut-off k of the validation NDCG@k that early stopping watches.</summary>
    /// <value>The default value is 5. Allowed range: 1 to 10,000.</value>
    [Range(1, 10_000)]
    public int EarlyStoppingAt { get; set; } = 5;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="LambdaRankOptionsValidator"/>, generated from the data annotations above.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new LambdaRankOptionsValidator());

    /// <summary>Lists the settings as invariant name/value pairs, for the model file.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Describe() =>
    [
        GradientBoostingOptions.Pair("Objective", "lambdarank"),
        GradientBoostingOptions.Pair(nameof(TruncationLevel), TruncationLevel),
        GradientBoostingOptions.Pair(nameof(Gain), Gain),
        GradientBoostingOptions.Pair(nameof(NormalizeQueries), NormalizeQueries),
        GradientBoostingOptions.Pair(nameof(Sigmoid), Sigmoid),
        GradientBoostingOptions.Pair(nameof(EarlyStoppingAt), EarlyStoppingAt),
    ];
}

/// <summary>Checks the data annotations of <see cref="LambdaRankOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class LambdaRankOptionsValidator : IValidateOptions<LambdaRankOptions>;
