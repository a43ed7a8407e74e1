using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Training;
using PatternQuality.Versioning;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>What <c>pq train</c> prints for a binary or ranking model: the <c>--json</c> object, or metrics and the gate's decision for people.</summary>
internal static class TrainOutput
{
    public static void Write(TextWriter stdout, TrainingReport report, ModelProposalResult outcome, string splitName, string objective, bool asJson)
    {
        if (asJson)
        {
            JsonOutput.Write(stdout, new JsonObject
            {
                ["version"] = outcome.Version.Version,
                ["promoted"] = outcome.Promoted,
                ["champion"] = outcome.PreviousActiveVersion,
                ["rows"] = new JsonObject { ["train"] = report.Data.TrainRows, ["test"] = report.Data.TestRows },
                ["train_seconds"] = Math.Round(report.Timings.Total.TotalSeconds, 3),
                ["calibration"] = TrainArguments.Name(report.CalibrationMethod),
                ["metrics"] = JsonOutput.Metrics(report.Metrics),
                ["objective"] = objective,
                ["split"] = splitName,
                ["decision"] = outcome.Decision.Reason,
            });
        }
        else
        {
            var console = HumanOutput.Create(stdout);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained {report.Trainer} on {report.Data.TrainRows:N0} rows in {report.Timings.Total.TotalSeconds:0.0} s; {splitName} holdout of {report.Data.TestRows:N0} rows; calibration {TrainArguments.Name(report.CalibrationMethod)}."));
            HumanOutput.WriteMetrics(console, report.Metrics);
            var against = outcome.PreviousActiveVersion is { } champion ? $" (judged against {champion})" : string.Empty;
            console.WriteLine($"Stored version {outcome.Version.Version}: {(outcome.Promoted ? "promoted, now active" : "not promoted, kept as challenger")}{against}.");
            console.WriteLine(outcome.Decision.Reason);
        }
    }
}
