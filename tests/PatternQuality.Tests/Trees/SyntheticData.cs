using PatternQuality.Data;

namespace PatternQuality.Tests.Trees;

/// <summary>Small generated datasets for edge cases.</summary>
internal static class SyntheticData
{
    public static FeatureSchema Schema(int features) =>
        new(Enumerable.Range(0, features).Select(i => new FeatureDefinition($"x{i}", FeatureKind.Numeric)));

    /// <summary>Two numeric features; label 1 when x0 + x1 &gt; 1 (with 10% flipped labels).</summary>
    public static Dataset Binary(int rows, int seed = 7)
    {
        var random = new Random(seed);
        var x = new float[rows * 2];
        var y = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            x[2 * r] = (float)random.NextDouble();
            x[(2 * r) + 1] = (float)random.NextDouble();
            var label = x[2 * r] + x[(2 * r) + 1] > 1;
            y[r] = (label ^ (random.NextDouble() < 0.1)) ? 1 : 0;
        }

        return new Dataset(Schema(2), x, y);
    }

    /// <summary>Three classes (low/medium/high) by the sum of two features.</summary>
    public static Dataset ThreeClasses(int rows, int seed = 11)
    {
        var random = new Random(seed);
        var x = new float[rows * 2];
        var y = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            x[2 * r] = (float)random.NextDouble();
            x[(2 * r) + 1] = (float)random.NextDouble();
            var s = x[2 * r] + x[(2 * r) + 1];
            y[r] = s < 0.7f ? 0 : s < 1.3f ? 1 : 2;
        }

        return new Dataset(Schema(2), x, y);
    }
}
