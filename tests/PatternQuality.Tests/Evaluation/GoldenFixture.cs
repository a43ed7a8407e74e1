using System.Text.Json;

namespace PatternQuality.Tests.Evaluation;

/// <summary>Reads the scikit-learn golden values written by Fixtures/Evaluation/make_golden.py.</summary>
internal static class GoldenFixture
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evaluation", name);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static IEnumerable<JsonElement> Cases(string name) => Load(name).GetProperty("cases").EnumerateArray();

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static float[]? OptionalFloats(JsonElement obj, string property)
        => obj.TryGetProperty(property, out var e) && e.ValueKind == JsonValueKind.Array ? Floats(e) : null;

    public static void Near(double expected, double actual, double tolerance, string what)
        => Assert.True(
            Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E2}, tolerance {tolerance:E0}).");
}
