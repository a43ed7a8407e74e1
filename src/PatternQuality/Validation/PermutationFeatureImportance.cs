using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Validation;

/// <summary>How much a model relies on one feature: the metric lost when the feature's column is shuffled.</summary>
/// <param name="Name">The feature name.</param>
/// <param name="Mean">The mean loss over repeats (positive: the feature helps; about 0: unused; negative: noise).</param>
/// <param name="StandardDeviation">The sample standard deviation over repeats (0 with one repeat).</param>
public sealed record PermutationFeatureImportance(
    string Name,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Mean,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double StandardDeviation);
