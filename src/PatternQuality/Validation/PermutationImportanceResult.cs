using System.Text.Json.Serialization;
using PatternQuality.Evaluation;
using PatternQuality.Internal;

namespace PatternQuality.Validation;

/// <summary>Permutation importance of every feature of a model.</summary>
public sealed class PermutationImportanceResult
{
    internal PermutationImportanceResult(EvaluationMetric metric, double baseline, IReadOnlyList<PermutationFeatureImportance> features)
    {
        Metric = metric;
        Baseline = baseline;
        Ranked = features.OrderByDescending(f => f.Mean).ThenBy(f => f.Name, StringComparer.Ordinal).ToArray();
        ByName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets the metric importance is measured in.</summary>
    public EvaluationMetric Metric { get; }

    /// <summary>Gets the metric on the unshuffled data.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Baseline { get; }

    /// <summary>Gets the importance of each feature, keyed by feature name.</summary>
    public IReadOnlyDictionary<string, PermutationFeatureImportance> ByName { get; }

    /// <summary>Gets the features from most to least important.</summary>
    public IReadOnlyList<PermutationFeatureImportance> Ranked { get; }
}
