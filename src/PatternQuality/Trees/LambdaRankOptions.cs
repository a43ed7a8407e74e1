using System.Globalization;
using Microsoft.Extensions.Options;
using PatternQuality.Evaluation;

namespace PatternQuality.Trees;

/// <summary>
/// Settings of the LambdaRank (LambdaMART) objective that <see cref="GradientBoostingLearner.FitRanking"/> boosts:
/// pairwise lambdas within each query, weighted by how much swapping the pair would change the query's NDCG.
/// </summary>
/// <remarks>The defaults are LightGBM's <c>lambdarank</c> defaults.</remarks>
public sealed class LambdaRankOptions
{
    /// <summary>The largest relevance label the gain table covers.</summary>
    public const int MaximumLabel = 31;

    /// <summary>Gets or sets how many top positions of each query generate pairs (LightGBM's <c>lambdarank_truncation_level</c>).</summary>
    /// <value>The default value is 30. Allowed range: 1 to 10,000.</value>
    public int TruncationLevel { get; set; } = 30;

    /// <summary>Gets or sets the gain of a relevance label in the NDCG the lambdas optimise.</summary>
    /// <value>
    /// The default value is <see cref="NdcgGain.Exponential"/> (gain 2^label - 1, LightGBM's default <c>label_gain</c>);
    /// <see cref="NdcgGain.Linear"/> uses gain = label, scikit-learn's <c>ndcg_score</c> convention.
    /// </value>
    public NdcgGain Gain { get; set; } = NdcgGain.Exponential;

    /// <summary>Gets or sets a value indicating whether each query's lambdas are normalised (LightGBM's <c>lambdarank_norm</c>), so long queries do not dominate.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NormalizeQueries { get; set; } = true;

    /// <summary>Gets or sets the steepness of the pairwise logistic loss (LightGBM's <c>sigmoid</c>).</summary>
    /// <value>The default value is 1. Allowed range: greater than 0, at most 100.</value>
    public double Sigmoid { get; set; } = 1.0;

    /// <summary>Gets or sets the cut-off k of the validation NDCG@k that early stopping watches.</summary>
    /// <value>The default value is 5. Allowed range: 1 to 10,000.</value>
    public int EarlyStoppingAt { get; set; } = 5;

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        GradientBoostingOptions.Range(errors, nameof(TruncationLevel), TruncationLevel, 1, 10_000);
        GradientBoostingOptions.Range(errors, nameof(EarlyStoppingAt), EarlyStoppingAt, 1, 10_000);
        if (!Enum.IsDefined(Gain))
        {
            errors.Add($"{nameof(Gain)} is {(int)Gain}; allowed: Exponential or Linear.");
        }

        if (!(Sigmoid > 0 && Sigmoid <= 100))
        {
            errors.Add($"{nameof(Sigmoid)} is {Sigmoid.ToString(CultureInfo.InvariantCulture)}; allowed: greater than 0, at most 100.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(LambdaRankOptions), typeof(LambdaRankOptions), errors);
        }
    }

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
