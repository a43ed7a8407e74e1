using System.Globalization;
using System.Text.Json;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary><c>pq explain</c> and <c>pq report</c> on a multiclass version: MovieLens ratings as low / medium / high.</summary>
public sealed class MulticlassExplainCommandTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly string _data;

    public MulticlassExplainCommandTests()
    {
        _data = Path.Combine(_store.Root, "ratings3.csv");
        File.WriteAllText(_data, MovieLensThreeClass.Csv());
    }

    public void Dispose() => _store.Dispose();

    private void Train()
    {
        // No calibration, so the softmax of each row's per-class sums is the probability pq predict writes.
        var (code, _, stderr) = Run("train", "--store", _store.Dir, "--data", _data, "--label", "level", "--objective", "multiclass", "--trees", "20", "--calibration", "none");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void Explain_MovieLensThreeClass_OneBlockPerClassSummingToEachClassRawScore()
    {
        Train();
        var output = Path.Combine(_store.Root, "contribs.csv");
        var (code, stdout, stderr) = Run("explain", "--store", _store.Dir, "--data", _data, "--out", output, "--json");
        Assert.True(code == 0, stderr);
        string[] classes;
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal(MovieLensThreeClass.Rows.Count, doc.RootElement.GetProperty("rows").GetInt32());
            classes = [.. doc.RootElement.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!)];
        }

        // Classes are numbered in ordinal order of their names, as training numbers them.
        Assert.Equal(["high", "low", "medium"], classes);

        var predicted = Path.Combine(_store.Root, "predicted.csv");
        (code, _, stderr) = Run("predict", "--store", _store.Dir, "--data", _data, "--out", predicted);
        Assert.True(code == 0, stderr);

        var contributions = CsvTable.Read(output);
        var probabilities = CsvTable.Read(predicted);
        var features = contributions.Header.Count / 3 - 1;
        string[] names = ["genre", "year", "hour", "weekday"];
        Assert.Equal(classes.SelectMany(c => names.Take(features).Select(n => $"{c}:{n}").Append($"{c}:bias")), contributions.Header);
        Assert.Equal(MovieLensThreeClass.Rows.Count, contributions.RowCount);
        for (var i = 0; i < contributions.RowCount; i += 397)
        {
            var values = contributions.GetValues(i).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var raw = Enumerable.Range(0, 3).Select(c => values.Skip(c * (features + 1)).Take(features + 1).Sum()).ToArray();
            var max = raw.Max();
            var z = raw.Sum(r => Math.Exp(r - max));
            for (var c = 0; c < 3; c++)
            {
                var p = double.Parse(probabilities.GetValues(i)[5 + c], CultureInfo.InvariantCulture);
                var softmax = Math.Exp(raw[c] - max) / z;
                Assert.True(Math.Abs(p - softmax) < 2e-6, $"row {i} class {c}: predict wrote {p} (6 decimals), softmax of the sums is {softmax}");
            }
        }

        // --class writes that class's block with the binary layout: one column per feature plus bias.
        var high = Path.Combine(_store.Root, "medium.csv");
        (code, _, stderr) = Run("explain", "--store", _store.Dir, "--data", _data, "--out", high, "--class", "medium");
        Assert.True(code == 0, stderr);
        var single = CsvTable.Read(high);
        Assert.Equal([.. names.Take(features), "bias"], single.Header);
        for (var i = 0; i < single.RowCount; i += 997)
        {
            Assert.Equal(contributions.GetValues(i).Skip(2 * (features + 1)), single.GetValues(i));
        }

        (code, _, stderr) = Run("explain", "--store", _store.Dir, "--data", _data, "--out", high, "--class", "excellent");
        Assert.Equal(1, code);
        Assert.Contains("high, low, medium", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ClassOnABinaryModel_IsAClearError()
    {
        _store.AddCouponModel();
        var (code, _, stderr) = Run("explain", "--store", _store.Dir, "--data", SharedData.Coupon, "--out", Path.Combine(_store.Root, "c.csv"), "--class", "1");
        Assert.Equal(1, code);
        Assert.Contains("--class", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_MovieLensThreeClass_PerClassShapSummaryConfusionAndMetrics()
    {
        Train();
        var output = Path.Combine(_store.Root, "report.html");
        var (code, stdout, stderr) = Run("report", "--store", _store.Dir, "--data", _data, "--label", "level", "--out", output, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("multiclass", doc.RootElement.GetProperty("objective").GetString());
        var logLoss = doc.RootElement.GetProperty("metrics").GetProperty("logloss").GetDouble();
        Assert.InRange(logLoss, 0.3, Math.Log(3)); // better than uniform over three classes

        var html = File.ReadAllText(output);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ROC curve", html, StringComparison.Ordinal);
        foreach (var c in MovieLensThreeClass.Classes)
        {
            Assert.Contains($"Mean |SHAP|, class {c}", html, StringComparison.Ordinal);
        }

        Assert.Contains("Confusion matrix", html, StringComparison.Ordinal);
        Assert.Contains("Mean |SHAP| per class", html, StringComparison.Ordinal);

        // The summary's numbers are the library's mean |SHAP| per class on the same rows.
        using var manager = _store.Open();
        var model = MulticlassQualityModel.Load((await manager.LoadActiveAsync())!);
        var load = CsvDatasetLoader.Load(_data, new CsvLoadOptions { LabelColumn = "level", Multiclass = true }, model.CreateRowExtractor());
        // The report explains the first 5,000 rows (a bounded cost on big files).
        var shap = ShapImportance.MeanAbsolute(model, load.Dataset.Features[..(5000 * model.Info.Schema.Count)]);
        Assert.Equal(3, shap.Count);
        var genre = shap[0].Single(kv => kv.Key == "genre").Value;
        Assert.True(genre > 0, "genre moves the 'high' class");
        Assert.Contains(genre.ToString("0.0000", CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
    }
}
