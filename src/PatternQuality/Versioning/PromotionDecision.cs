using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Versioning;

/// <summary>The quality gate's verdict on a candidate and the evidence behind it.</summary>
/// <remarks>Numbers that were not computed (for example AUCs on a holdout with one class) are <see cref="double.NaN"/>.</remarks>
/// <param name="Promoted">Whether the candidate replaces the champion.</param>
/// <param name="Reason">Why, in one sentence a person can read in a log or a version listing.</param>
public sealed record PromotionDecision(bool Promoted, string Reason)
{
    /// <summary>Gets the rule that decided (<c>PairedLogLoss</c>, <c>RelativeImprovement</c>), or <see langword="null"/> when no policy rule ran.</summary>
    public string? Rule { get; init; }

    /// <summary>Gets how the AUC interval was computed (<c>DeLong</c>, <c>PairedBootstrap</c>), or <see langword="null"/> when no comparison ran.</summary>
    public string? Method { get; init; }

    /// <summary>Gets the number of positive holdout rows.</summary>
    public int Positives { get; init; }

    /// <summary>Gets the number of negative holdout rows.</summary>
    public int Negatives { get; init; }

    /// <summary>Gets the champion's AUC on the holdout.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double ChampionAuc { get; init; } = double.NaN;

    /// <summary>Gets the candidate's AUC on the holdout.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double CandidateAuc { get; init; } = double.NaN;

    /// <summary>Gets the candidate's AUC minus the champion's.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double AucDelta { get; init; } = double.NaN;

    /// <summary>Gets the lower bound of the interval around <see cref="AucDelta"/>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double AucDeltaLower { get; init; } = double.NaN;

    /// <summary>Gets the upper bound of the interval around <see cref="AucDelta"/>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double AucDeltaUpper { get; init; } = double.NaN;

    /// <summary>Gets the champion's Brier score (mean squared error of the probabilities; lower is better).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double ChampionBrier { get; init; } = double.NaN;

    /// <summary>Gets the candidate's Brier score.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double CandidateBrier { get; init; } = double.NaN;

    /// <summary>Gets the relative Brier improvement: <c>(champion - candidate) / champion</c>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double BrierImprovement { get; init; } = double.NaN;

    /// <summary>Gets the champion's expected calibration error (10 equal-width bins; lower is better).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double ChampionEce { get; init; } = double.NaN;

    /// <summary>Gets the candidate's expected calibration error.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double CandidateEce { get; init; } = double.NaN;

    /// <summary>Gets the relative calibration error improvement: <c>(champion - candidate) / champion</c>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double EceImprovement { get; init; } = double.NaN;

    /// <summary>Gets the champion's mean log loss on the holdout (lower is better).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double ChampionLogLoss { get; init; } = double.NaN;

    /// <summary>Gets the candidate's mean log loss on the holdout.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double CandidateLogLoss { get; init; } = double.NaN;

    /// <summary>Gets the mean per-row log loss difference, candidate minus champion (negative: the candidate is better).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double LogLossDelta { get; init; } = double.NaN;

    /// <summary>Gets the one-sided upper confidence bound on <see cref="LogLossDelta"/>; below zero, the candidate's log loss is lower with that confidence.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double LogLossDeltaUpper { get; init; } = double.NaN;
}
