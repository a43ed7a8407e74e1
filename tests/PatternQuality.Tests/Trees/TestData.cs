using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Trees;

/// <summary>A small test-only loader for the real datasets, until the Data loaders land. Cached per process.</summary>
internal static class TestData
{
    private static readonly Lazy<Dataset> _binaryTrain = new(() => LoadBinary(SharedData.BinaryTrain));
    private static readonly Lazy<Dataset> _binaryTest = new(() => LoadBinary(SharedData.BinaryTest));
    private static readonly Lazy<(Dataset Train, Dataset Test)> _coupon = new(() => SplitStratified(LoadCoupon()));

    public static Dataset BinaryTrain => _binaryTrain.Value;

    public static Dataset BinaryTest => _binaryTest.Value;

    /// <summary>Gets the coupon data (drop `car`), split stratified 80/20 as the python comparison does.</summary>
    public static (Dataset Train, Dataset Test) Coupon => _coupon.Value;

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

    /// <summary>Loads the coupon CSV: every column but Y and car becomes a categorical feature (empty = missing).</summary>
    public static Dataset LoadCoupon()
    {
        var lines = File.ReadAllLines(SharedData.Coupon).Where(l => l.Length > 0).ToArray();
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

                // Category index 0 is "<unknown>", so labels start at 1.
                x[(r * f) + j] = v.Length == 0 ? float.NaN : maps[j].IndexOf(v) + 1;
            }
        }

        return new Dataset(schema, x, y);
    }

    /// <summary>Stratified split that benchmarks/compare/compare_trees.py reproduces: within each class, in row order, every fifth row is test.</summary>
    public static (Dataset Train, Dataset Test) SplitStratified(Dataset data)
    {
        var train = new List<int>();
        var test = new List<int>();
        var seen = new int[2];
        for (var r = 0; r < data.RowCount; r++)
        {
            var c = (int)data.Labels.Span[r];
            (seen[c]++ % 5 == 4 ? test : train).Add(r);
        }

        return (data.Select(train), data.Select(test));
    }

    // The library's AUC is golden-tested against scikit-learn (Evaluation tests), so the engine tests use it too.
    public static double Auc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels) => BinaryMetrics.Auc(labels, scores);

    public static float[] Predict(PatternQuality.Learning.IPredictor model, Dataset data)
    {
        var p = new float[data.RowCount];
        model.PredictProbability(data.Features.Span, p);
        return p;
    }
}
