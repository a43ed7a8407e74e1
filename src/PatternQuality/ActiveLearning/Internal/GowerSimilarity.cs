using PatternQuality.Data;

namespace PatternQuality.ActiveLearning.Internal;

/// <summary>
/// Gower similarity between feature vectors of mixed kinds: numeric and boolean features compare by distance over
/// their range in the candidates, categorical features by equality; a missing value matches only a missing value.
/// </summary>
/// <remarks>
/// Category indexes are labels, not quantities, so a Euclidean or cosine distance over them would call "type 3" closer
/// to "type 4" than to "type 9". Gower's coefficient treats each kind on its own terms and needs no scaling step.
/// </remarks>
internal sealed class GowerSimilarity
{
    private readonly bool[] _categorical;
    private readonly float[] _inverseRange;

    public GowerSimilarity(QueryContext context)
    {
        var width = context.Schema.Count;
        _categorical = new bool[width];
        _inverseRange = new float[width];
        var min = new float[width];
        var max = new float[width];
        Array.Fill(min, float.PositiveInfinity);
        Array.Fill(max, float.NegativeInfinity);
        foreach (var row in context.Candidates)
        {
            var values = context.GetRow(row);
            for (var f = 0; f < width; f++)
            {
                var v = values[f];
                if (!float.IsNaN(v))
                {
                    min[f] = Math.Min(min[f], v);
                    max[f] = Math.Max(max[f], v);
                }
            }
        }

        for (var f = 0; f < width; f++)
        {
            _categorical[f] = context.Schema[f].Kind == FeatureKind.Categorical;
            var range = max[f] - min[f];
            _inverseRange[f] = range > 0 && float.IsFinite(range) ? 1f / range : 0f;
        }
    }

    /// <summary>Similarity in [0, 1]; 1 for identical vectors.</summary>
    public float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var distance = 0f;
        for (var f = 0; f < a.Length; f++)
        {
            var x = a[f];
            var y = b[f];
            var xMissing = float.IsNaN(x);
            if (xMissing || float.IsNaN(y))
            {
                distance += xMissing == float.IsNaN(y) ? 0f : 1f;
            }
            else if (_categorical[f])
            {
                distance += x == y ? 0f : 1f;
            }
            else
            {
                distance += Math.Min(1f, Math.Abs(x - y) * _inverseRange[f]);
            }
        }

        return 1f - (distance / a.Length);
    }
}
