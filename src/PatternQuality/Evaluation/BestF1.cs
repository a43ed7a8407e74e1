using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Evaluation;

/// <summary>The threshold that maximises F1, and that F1.</summary>
/// <param name="Threshold">The score at or above which rows are predicted positive; among equal F1 values the lowest such score.</param>
/// <param name="F1">The F1 reached at <paramref name="Threshold"/>.</param>
public readonly record struct BestF1(
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Threshold,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double F1);
