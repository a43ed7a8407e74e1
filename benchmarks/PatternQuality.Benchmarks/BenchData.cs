using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Features;

namespace PatternQuality.Benchmarks;

/// <summary>Loads the shared datasets for benchmarks and harnesses (read in place from ../shared/data, never copied).</summary>
internal static class BenchData
{
    public static string Root { get; } = FindRoot();

    public static string CouponPath => Path.Combine(Root, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv");

    public static Dataset BinaryTrain() => LoadBinary(Path.Combine(Root, "lightgbm-examples", "binary_classification", "binary.train"));

    public static Dataset BinaryTest() => LoadBinary(Path.Combine(Root, "lightgbm-examples", "binary_classification", "binary.test"));

    /// <summary>The whole coupon file through the library's own CSV loader (every column but Y a feature).</summary>
    public static CsvLoadResult LoadCouponCsv() => CsvDatasetLoader.Load(CouponPath, new CsvLoadOptions { LabelColumn = "Y" });

    /// <summary>LightGBM's dense tab-separated example files: the label, then the features.</summary>
    public static Dataset LoadBinary(string path)
    {
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

    /// <summary>Coupon data without `car`, every column categorical, split as benchmarks/compare/compare_trees.py does.</summary>
    public static (Dataset Train, Dataset Test) Coupon()
    {
        var lines = File.ReadAllLines(CouponPath).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var label = Array.IndexOf(header, "Y");
        var columns = Enumerable.Range(0, header.Length).Where(i => i != label && header[i] != "car").ToArray();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var maps = columns.Select(c => rows.Select(r => r[c]).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList()).ToArray();
        var schema = new FeatureSchema(columns.Select((c, j) => new FeatureDefinition(header[c], FeatureKind.Categorical, maps[j])));
        var f = columns.Length;
        var x = new float[rows.Length * f];
        var y = new float[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            y[r] = float.Parse(rows[r][label], CultureInfo.InvariantCulture);
            for (var j = 0; j < f; j++)
            {
                var v = rows[r][columns[j]];
                x[(r * f) + j] = v.Length == 0 ? float.NaN : maps[j].IndexOf(v) + 1;
            }
        }

        var data = new Dataset(schema, x, y);
        var train = new List<int>();
        var test = new List<int>();
        var seen = new int[2];
        for (var r = 0; r < data.RowCount; r++)
        {
            (seen[(int)y[r]]++ % 5 == 4 ? test : train).Add(r);
        }

        return (data.Select(train), data.Select(test));
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

        throw new DirectoryNotFoundException("shared/data not found; set PATTERNQUALITY_SHARED_DATA.");
    }
}
