using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Features;

namespace PatternQuality.Benchmarks;

/// <summary>A small loader for the shared datasets (read in place from ../shared/data, never copied).</summary>
internal static class BenchData
{
    public static string Root { get; } = FindRoot();

    public static Dataset BinaryTrain() => LoadBinary(Path.Combine(Root, "lightgbm-examples", "binary_classification", "binary.train"));

    public static Dataset BinaryTest() => LoadBinary(Path.Combine(Root, "lightgbm-examples", "binary_classification", "binary.test"));

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
        var lines = File.ReadAllLines(Path.Combine(Root, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv")).Where(l => l.Length > 0).ToArray();
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

    public static double Auc(float[] scores, ReadOnlySpan<float> labels)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var s = (float[])scores.Clone();
        Array.Sort(s, order);
        double rankSum = 0;
        long positives = 0;
        var i = 0;
        while (i < s.Length)
        {
            var j = i;
            while (j + 1 < s.Length && s[j + 1] == s[i])
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]] > 0.5f)
                {
                    rankSum += rank;
                    positives++;
                }
            }

            i = j + 1;
        }

        var negatives = labels.Length - positives;
        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
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
