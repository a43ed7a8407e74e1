using PatternQuality.ActiveLearning;
using PatternQuality.Data;
using PatternQuality.Learning;

namespace PatternQuality.Tests.ActiveLearning;

/// <summary>A predictor whose probability is the row's first feature: lets a test set each candidate's uncertainty.</summary>
internal sealed class ProbabilityModel(FeatureSchema schema) : IPredictor
{
    public FeatureSchema Schema { get; } = schema;

    public float PredictProbability(ReadOnlySpan<float> features) => features[0];

    public void PredictProbability(ReadOnlySpan<float> features, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = features[i * Schema.Count];
        }
    }

    public static FeatureSchema TwoFeatures { get; } = new([
        new FeatureDefinition("p", FeatureKind.Numeric),
        new FeatureDefinition("kind", FeatureKind.Categorical, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])]);

    /// <summary>A context over rows (probability, category), every row a candidate.</summary>
    public static QueryContext Context(IReadOnlyList<(float P, float Kind)> rows, int seed = 0)
    {
        var pool = rows.SelectMany(r => new[] { r.P, r.Kind }).ToArray();
        return new QueryContext(TwoFeatures, pool, Enumerable.Range(0, rows.Count).ToArray(), new ProbabilityModel(TwoFeatures), seed: seed);
    }
}
