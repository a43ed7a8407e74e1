using PatternQuality.Data;
using PatternQuality.Scoring;

namespace PatternQuality.Tests.Scoring;

/// <summary>A model whose score is the first feature, clamped to [0, 1].</summary>
internal sealed class FakeQualityModel(FeatureSchema schema) : IQualityModel
{
    public ModelInfo Info { get; } = new(schema, "fake");

    public int BatchCalls { get; private set; }

    public float Score(ReadOnlySpan<float> features) => Math.Clamp(features[0], 0f, 1f);

    public void Score(ReadOnlySpan<float> features, Span<float> destination)
    {
        BatchCalls++;
        var n = Info.Schema.Count;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Score(features.Slice(i * n, n));
        }
    }
}
