using System.Text.Json.Serialization;
using PatternQuality.Data;
using PatternQuality.Internal;

namespace PatternQuality.Trees;

/// <summary>How much a model relies on one feature: the loss reduction of its splits and how many splits use it.</summary>
public sealed class FeatureImportance
{
    internal FeatureImportance(string featureName, double gain, int splitCount)
    {
        FeatureName = featureName;
        Gain = gain;
        SplitCount = splitCount;
    }

    /// <summary>Gets the feature name.</summary>
    public string FeatureName { get; }

    /// <summary>Gets the total loss reduction of every split on the feature, over all trees.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double Gain { get; }

    /// <summary>Gets the number of splits on the feature, over all trees.</summary>
    public int SplitCount { get; }

    /// <inheritdoc />
    public override string ToString() => $"{FeatureName}: gain {Gain:G6}, {SplitCount} splits";

    internal static IReadOnlyDictionary<string, FeatureImportance> Compute(Data.FeatureSchema schema, IEnumerable<Internal.RegressionTree> trees)
    {
        var gain = new double[schema.Count];
        var count = new int[schema.Count];
        foreach (var t in trees)
        {
            for (var i = 0; i < t.Nodes.Length; i++)
            {
                gain[t.Nodes[i].Feature] += t.SplitGains[i];
                count[t.Nodes[i].Feature]++;
            }
        }

        var result = new Dictionary<string, FeatureImportance>(schema.Count, StringComparer.Ordinal);
        for (var j = 0; j < schema.Count; j++)
        {
            result[schema[j].Name] = new FeatureImportance(schema[j].Name, gain[j], count[j]);
        }

        return result;
    }
}
