using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Evaluation;

/// <summary>One bin of a <see cref="ReliabilityDiagram"/>.</summary>
/// <param name="Lower">The lowest score the bin can hold (for equal-mass bins: the lowest score it holds).</param>
/// <param name="Upper">The highest score the bin can hold (for equal-mass bins: the highest score it holds).</param>
/// <param name="Count">The number of rows in the bin.</param>
/// <param name="Weight">The total weight of the rows in the bin.</param>
/// <param name="MeanPredicted">The weighted mean score in the bin, or NaN when the bin is empty.</param>
/// <param name="ObservedRate">The weighted share of positive rows in the bin, or NaN when the bin is empty.</param>
public readonly record struct ReliabilityBin(
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Lower,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Upper,
    int Count,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Weight,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double MeanPredicted,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double ObservedRate)
{
    /// <summary>Gets |mean predicted - observed rate|, or NaN when the bin is empty.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Gap => Math.Abs(MeanPredicted - ObservedRate);
}
