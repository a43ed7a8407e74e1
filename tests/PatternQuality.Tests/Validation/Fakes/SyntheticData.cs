using PatternQuality.Data;

namespace PatternQuality.Tests.Validation.Fakes;

/// <summary>Small synthetic datasets whose true approval probability is known: P(y = 1) = sigmoid(2 * x0).</summary>
internal static class SyntheticData
{
    public static FeatureSchema Schema { get; } = new(
    [
        new FeatureDefinition("signal", FeatureKind.Numeric),
        new FeatureDefinition("noise", FeatureKind.Numeric),
        new FeatureDefinition("colour", FeatureKind.Categorical, ["red", "green", "blue"]),
    ]);

    public static float TrueProbability(ReadOnlySpan<float> row) => 1f / (1f + MathF.Exp(-2f * row[0]));

    public static Dataset Create(int rows, int seed, bool withGroups = false, bool withTimestamps = false)
    {
        var random = new Random(seed);
        var features = new float[rows * 3];
        var labels = new float[rows];
        var groups = withGroups ? new string?[rows] : null;
        var times = withTimestamps ? new long[rows] : null;
        for (var i = 0; i < rows; i++)
        {
            var x = (float)((random.NextDouble() * 4) - 2);
            features[i * 3] = x;
            features[(i * 3) + 1] = (float)random.NextDouble();
            features[(i * 3) + 2] = 1 + random.Next(3);
            labels[i] = random.NextDouble() < TrueProbability(features.AsSpan(i * 3, 3)) ? 1f : 0f;
            if (groups is not null)
            {
                groups[i] = $"user{random.Next(20)}";
            }

            if (times is not null)
            {
                times[i] = 1_700_000_000_000L + (random.Next(1000) * 60_000L);
            }
        }

        return new Dataset(Schema, features, labels, null, times, groups);
    }
}
