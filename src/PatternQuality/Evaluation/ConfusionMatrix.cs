using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Evaluation;

/// <summary>
/// The (weighted) counts of a binary decision at a threshold: a row is predicted positive when its score is at
/// least the threshold.
/// </summary>
/// <param name="TruePositives">Weight of positive rows predicted positive.</param>
/// <param name="FalsePositives">Weight of negative rows predicted positive.</param>
/// <param name="TrueNegatives">Weight of negative rows predicted negative.</param>
/// <param name="FalseNegatives">Weight of positive rows predicted negative.</param>
public readonly record struct ConfusionMatrix(
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double TruePositives,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double FalsePositives,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double TrueNegatives,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double FalseNegatives)
{
    /// <summary>Gets the total weight of all rows.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Gets the share of rows decided correctly, or NaN when the total weight is zero.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Accuracy => Total > 0 ? (TruePositives + TrueNegatives) / Total : double.NaN;

    /// <summary>Gets TP / (TP + FP), or 0 when nothing is predicted positive (scikit-learn's <c>zero_division=0</c>).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Precision => TruePositives + FalsePositives > 0 ? TruePositives / (TruePositives + FalsePositives) : 0d;

    /// <summary>Gets TP / (TP + FN), or 0 when there are no positive rows (scikit-learn's <c>zero_division=0</c>).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Recall => TruePositives + FalseNegatives > 0 ? TruePositives / (TruePositives + FalseNegatives) : 0d;

    /// <summary>Gets the harmonic mean of precision and recall, 2TP / (2TP + FP + FN), or 0 when that is 0/0.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double F1
    {
        get
        {
            var d = (2 * TruePositives) + FalsePositives + FalseNegatives;
            return d > 0 ? 2 * TruePositives / d : 0d;
        }
    }
}
