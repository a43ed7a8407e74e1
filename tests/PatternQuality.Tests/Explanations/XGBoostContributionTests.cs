using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Tests.Interop;
using PatternQuality.Tests.Trees;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Explanations;

/// <summary>
/// TreeSHAP on imported XGBoost models equals XGBoost 1.7.4's own <c>pred_contribs=True</c> on every row (fixtures
/// and the scripts that wrote them in Fixtures/Interop: make_xgboost_fixtures.py, make_xgboost_contribs.py).
/// </summary>
public sealed class XGBoostContributionTests
{
    // XGBoost computes and returns contributions in float; ours are in double.
    private const double Tolerance = 1e-5;

    [Fact]
    public void Binary100Trees_EqualPredContribsOnEveryTestRow()
    {
        var test = TestData.BinaryTest;
        var model = XGBoostModelImporterTests.ImportFixture("xgb_binary_100.json", test.Schema);

        AssertEqualsPredContribs(model, test, "xgb_binary_100.contribs");
    }

    [Fact]
    public void MissingValues_EqualPredContribsOnEveryRow()
    {
        var test = XGBoostModelImporterTests.LoadMissingCsv();
        var model = XGBoostModelImporterTests.ImportFixture("xgb_missing.json", test.Schema);

        AssertEqualsPredContribs(model, test, "xgb_missing.contribs");
    }

    private static void AssertEqualsPredContribs(TreeEnsembleModel model, Dataset rows, string fixture)
    {
        var expected = File.ReadAllLines(XGBoostModelImporterTests.Fixture(fixture))
            .Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        var f = rows.Schema.Count;
        Assert.Equal(rows.RowCount, expected.Length);
        var phi = new double[f + 1];
        double worst = 0;
        var moved = 0;
        for (var r = 0; r < rows.RowCount; r++)
        {
            Assert.Equal(f + 1, expected[r].Length);
            model.PredictContributions(rows.GetRow(r), phi);
            for (var j = 0; j <= f; j++)
            {
                worst = Math.Max(worst, Math.Abs(expected[r][j] - phi[j]));
                moved += j < f && Math.Abs(expected[r][j]) > 1e-3 ? 1 : 0;
            }
        }

        Assert.True(worst <= Tolerance, $"largest difference from pred_contribs {worst:E2} over {rows.RowCount} rows");
        Assert.True(moved > rows.RowCount, "The fixture should hold real, non-zero contributions.");
    }
}
