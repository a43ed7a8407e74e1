using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Experiments;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq experiment report --json</c>: the report's variants, comparisons and sample-ratio check with snake_case names;
/// non-finite numbers (a variant without impressions) are written as <c>null</c>.
/// </summary>
internal static class ExperimentReportJson
{
    public static JsonObject From(ExperimentReport r)
    {
        static JsonObject Test(ProportionTestResult t) => new()
        {
            ["difference"] = JsonOutput.Number(t.Difference),
            ["lower"] = JsonOutput.Number(t.Lower),
            ["upper"] = JsonOutput.Number(t.Upper),
            ["statistic"] = JsonOutput.Number(t.Statistic),
            ["p_value"] = JsonOutput.Number(t.PValue),
            ["significant"] = t.Significant,
        };

        var variants = new JsonArray();
        foreach (var v in r.Variants)
        {
            var ctr = new JsonObject();
            foreach (var (position, rate) in v.ClickThroughRateAtPosition)
            {
                ctr[position.ToString(CultureInfo.InvariantCulture)] = JsonOutput.Number(rate);
            }

            variants.Add(new JsonObject
            {
                ["variant"] = v.Variant,
                ["units"] = v.Units,
                ["converted_units"] = v.ConvertedUnits,
                ["impressions"] = v.Impressions,
                ["accepted"] = v.Accepted,
                ["clicks"] = v.Clicks,
                ["fallbacks"] = v.Fallbacks,
                ["acceptance_rate"] = JsonOutput.Number(v.AcceptanceRate),
                ["unit_conversion_rate"] = JsonOutput.Number(v.UnitConversionRate),
                ["ctr_at_position"] = ctr,
                ["mean_time_to_action_seconds"] = JsonOutput.Number(v.MeanTimeToActionSeconds),
                ["median_time_to_action_seconds"] = JsonOutput.Number(v.MedianTimeToActionSeconds),
            });
        }

        var comparisons = new JsonArray();
        foreach (var c in r.Comparisons)
        {
            comparisons.Add(new JsonObject
            {
                ["variant"] = c.Variant,
                ["control"] = c.Control,
                ["relative_lift"] = JsonOutput.Number(c.RelativeLift),
                ["z_test"] = Test(c.FixedHorizon),
                ["sequential"] = Test(c.Sequential),
            });
        }

        return new JsonObject
        {
            ["experiment"] = r.ExperimentId,
            ["alpha"] = r.Alpha,
            ["peeks"] = r.Peeks,
            ["variants"] = variants,
            ["comparisons"] = comparisons,
            ["sample_ratio"] = new JsonObject { ["chi_square"] = JsonOutput.Number(r.SampleRatio.ChiSquare), ["p_value"] = JsonOutput.Number(r.SampleRatio.PValue), ["mismatch"] = r.SampleRatio.Mismatch },
        };
    }
}
