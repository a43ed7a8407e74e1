using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Evaluation;
using PatternQuality.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// Settings of the LambdaRank (LambdaMART) objective that <see cref="GradientBoostingLearner.FitRanking"/> boosts:
/// pairwise lambdas within each query, weighted by how much swapping the pair would change the query's NDCG.
/// </summary>
/// <remarks>
/// The defaults optimise the NDCG the library reports as <c>ndcg@k</c> (linear gain, scikit-learn's <c>ndcg_score</c>)
/// with unnormalised LambdaMART lambdas (Burges 2010; as XGBoost's <c>rank:ndcg</c> before 2.0): gain = label and no
/// per-query normalisation. LightGBM's <c>lambdarank</c> defaults are <see cref="Gain"/> =
/// <see cref="NdcgGain.Exponential"/> and <see cref="NormalizeQueries"/> = <see langword="true"/>; measured side by side on
/// three ranking data sets (docs/ranking.md, "Choosing the defaults") they ranked no better on any and worse on most.
/// </remarks>
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
    /// The default value is <see cref="NdcgGain.Linear"/> (gain = label, scikit-learn's <c>ndcg_score</c> convention and
    /// the <c>ndcg@k</c> the trainer reports), so the lambdas optimise the metric a model is judged by;
    /// <see cref="NdcgGain.Exponential"/> uses gain 2^label - 1 (LightGBM's default <c>label_gain</c>, its <c>ndcg@k</c>).
    /// The two agree on binary relevance.
    /// </value>
    [EnumDataType(typeof(NdcgGain), ErrorMessage = "The field {0} must be Exponential or Linear.")]
    public NdcgGain Gain { get; set; } = NdcgGain.Linear;

    /// <summary>
    /// Gets or sets a value indicating whether each query's lambdas are normalised as LightGBM's <c>lambdarank_norm</c>
    /// does: every pair's weight divided by 0.01 + its score gap, then the query's lambdas scaled to log2(1 + their sum).
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: plain LambdaMART lambdas, whose size is the query's NDCG at stake.
    /// The normalisation boosts pairs the model nearly ties (up to 100 times) and shrinks queries with many misordered
    /// pairs, which changes the scale the booster's <see cref="GradientBoostingOptions.MinimumChildWeight"/> and L2
    /// regularisation act on; it ranked worse on every data set measured (docs/ranking.md). LightGBM's default is
    /// <see langword="true"/>.
    /// </value>
    public bool NormalizeQueries { get; set; }

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
