using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Features;

namespace PatternQuality.Benchmarks;

/// <summary>Loads the real datasets of ../shared/data for the learning-curve and calibration harnesses.</summary>
internal static class LearningCurveData
{
    public static string Root { get; set; } = FindRoot();

    public static string CouponPath => Path.Combine(Root, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv");

    /// <summary>The whole coupon file through the library's own CSV loader (every column but Y a feature).</summary>
    public static CsvLoadResult LoadCoupon() => CsvDatasetLoader.Load(CouponPath, new CsvLoadOptions { LabelColumn = "Y" });

    /// <summary>LightGBM's dense tab-separated example files: the label, then the features.</summary>
    public static Dataset LoadBinary(string name)
    {
        var path = Path.Combine(Root, "lightgbm-examples", "binary_classification", name);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var f = lines[0].Split('\t').Length - 1;
        var schema = new FeatureSchema(Enumerable.Range(1, f).Select(i => new FeatureDefinition($"f{i}", FeatureKind.Numeric)));
        var x = new float[lines.Length * f];
        var y = new float[lines.Length];
        for (var r = 0; r < lines.Length; r++)
        {
            var parts = lines[r].Split('\t');
            y[r] = float.Parse(parts[0], CultureInfo.InvariantCulture);
            for (var j = 0; j < f; j++)
            {
                x[(r * f) + j] = float.Parse(parts[j + 1], CultureInfo.InvariantCulture);
            }
        }

        return new Dataset(schema, x, y);
    }

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("PATTERNQUALITY_SHARED_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.Combine("..", "shared", "data");
    }
}
