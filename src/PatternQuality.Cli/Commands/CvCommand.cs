using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Learning;
using PatternQuality.Training;
using PatternQuality.Trees;
using PatternQuality.Validation;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq cv</c>: k-fold cross-validation (stratified, or grouped by a user column) of the learner's probabilities.</summary>
/// <remarks>Folds score the learner's own probabilities: calibration is fitted inside training, so it is not part of each fold.</remarks>
internal static class CvCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var learner = new TrainArguments();
        var folds = new Option<int>("--folds") { Description = "Number of folds (2 to 1000, as CrossValidationOptions allows).", DefaultValueFactory = _ => 5 };
        var json = JsonOutput.CreateOption();
        var command = new Command("cv", "Cross-validate the learner: per-fold metrics, their mean and standard deviation. With --group, folds keep each group (user) whole.");
        data.AddTo(command);
        command.Options.Add(folds);
        learner.AddTo(command, withCalibration: false);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var asJson = result.GetValue(json);
            var options = learner.ToOptions(result);
            ILearner fitter = options.Learner ?? (options.Trainer == TrainerKind.Forest
                ? new RandomForestLearner(options.RandomForest)
                : new GradientBoostingLearner(options.GradientBoosting));
            var cvOptions = new CrossValidationOptions
            {
                Folds = result.GetValue(folds),
                Grouped = result.GetValue(data.Group) is not null,
                Seed = options.Seed,
            };
            var cv = await CliProgress.RunAsync(stderr, asJson, "cross-validating", progress => Task.Run(
                () =>
                {
                    var dataset = data.LoadLabelled(result, cancellationToken);
                    progress.Report(0.05);
                    var foldProgress = new FoldProgress(p => progress.Report(0.05 + (0.95 * p.CompletedFolds / p.TotalFolds)));
                    return CrossValidator.Run(fitter, dataset, cvOptions, foldProgress, cancellationToken);
                },
                cancellationToken)).ConfigureAwait(false);

            if (asJson)
            {
                var list = new JsonArray();
                foreach (var fold in cv.Folds)
                {
                    list.Add(JsonOutput.Metrics(fold.Metrics));
                }

                JsonOutput.Write(stdout, new JsonObject
                {
                    ["folds"] = list,
                    ["mean"] = JsonOutput.Metrics(cv.Mean),
                    ["std"] = JsonOutput.Metrics(cv.StandardDeviation),
                });
            }
            else
            {
                var console = HumanOutput.Create(stdout);
                var table = new Table().AddColumn("fold").AddColumn("train").AddColumn("test");
                foreach (var key in JsonOutput.MetricKeys)
                {
                    table.AddColumn(key);
                }

                foreach (var fold in cv.Folds)
                {
                    table.AddRow([(fold.Index + 1).ToString(CultureInfo.InvariantCulture), fold.TrainCount.ToString(CultureInfo.InvariantCulture), fold.TestCount.ToString(CultureInfo.InvariantCulture), .. Cells(fold.Metrics)]);
                }

                table.AddRow(["mean", string.Empty, string.Empty, .. Cells(cv.Mean)]);
                table.AddRow(["std", string.Empty, string.Empty, .. Cells(cv.StandardDeviation)]);
                console.Write(table);
            }

            foreach (var warning in cv.Warnings)
            {
                stderr.WriteLine("warning: " + warning);
            }

            return 0;
        }));
        return command;
    }

    private static string[] Cells(IReadOnlyDictionary<string, double> metrics) =>
        JsonOutput.MetricKeys.Select(k => metrics.TryGetValue(k, out var v) ? HumanOutput.Format(v) : "n/a").ToArray();

    private sealed class FoldProgress(Action<CrossValidationProgress> report) : IProgress<CrossValidationProgress>
    {
        public void Report(CrossValidationProgress value) => report(value);
    }
}
