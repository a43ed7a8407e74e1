using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Online;

/// <summary>
/// A tiny reader for the bank-marketing CSV (';' separated, quoted), just enough for the online tests: drops
/// <c>duration</c> (known only after the call), label y=yes, rows in file (date) order. Loaded once per test run.
/// </summary>
internal static class BankMarketing
{
    private static readonly Lazy<Dataset> _all = new(Load);

    public static Dataset All => _all.Value;

    public static (Dataset Train, Dataset Test) SplitInFileOrder(double trainFraction)
    {
        var all = All;
        var cut = (int)(all.RowCount * trainFraction);
        return (all.Select(Enumerable.Range(0, cut).ToArray()), all.Select(Enumerable.Range(cut, all.RowCount - cut).ToArray()));
    }

    private static Dataset Load()
    {
        var lines = File.ReadAllLines(SharedData.Bank);
        var header = Split(lines[0]);
        var label = Array.IndexOf(header, "y");
        var columns = Enumerable.Range(0, header.Length).Where(i => i != label && header[i] != "duration").ToArray();
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(Split).ToArray();
        var numeric = columns.Select(c => rows.All(r => double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToArray();

        var categories = new List<string>[columns.Length];
        var definitions = new FeatureDefinition[columns.Length];
        for (var j = 0; j < columns.Length; j++)
        {
            if (numeric[j])
            {
                definitions[j] = new FeatureDefinition(header[columns[j]], FeatureKind.Numeric);
            }
            else
            {
                categories[j] = rows.Select(r => r[columns[j]]).Distinct().ToList();
                definitions[j] = new FeatureDefinition(header[columns[j]], FeatureKind.Categorical, categories[j]);
            }
        }

        var features = new float[rows.Length * columns.Length];
        var labels = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < columns.Length; j++)
            {
                var text = rows[i][columns[j]];
                features[(i * columns.Length) + j] = numeric[j]
                    ? float.Parse(text, CultureInfo.InvariantCulture)
                    : categories[j].IndexOf(text) + 1; // +1: index 0 is the reserved unknown category.
            }

            labels[i] = rows[i][label] == "yes" ? 1f : 0f;
        }

        return new Dataset(new FeatureSchema(definitions), features, labels);
    }

    private static string[] Split(string line) => line.Split(';').Select(s => s.Trim('"')).ToArray();
}
