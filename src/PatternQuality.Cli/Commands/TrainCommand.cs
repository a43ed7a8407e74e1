using System.CommandLine;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq train</c>: parses the flags, then calls the library: <see cref="QualityTrainer"/> splits, trains and
/// calibrates, and <see cref="ModelVersionManagerTrainingExtensions.ProposeAsync(ModelVersionManager, TrainingResult, ModelSaveRequest?, bool, CancellationToken)"/> stores the candidate and lets the
/// quality gate judge it against the champion on the same holdout. The version is stored either way.
/// </summary>
/// <remarks>
/// The store is checked (lock, manifest, writability) before training, so a held lock or a damaged store fails in
/// seconds rather than after the training. <c>--force</c> promotes a candidate the gate rejected or could not compare;
/// the decision records that it was forced.
/// </remarks>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: false);
        var learner = new TrainArguments();
        var test = new Option<string?>("--test") { Description = "A separate test file (same format and columns) to hold out instead of a split." };
        var split = new Option<string?>("--split") { Description = "random, temporal or file-order (default: temporal with --time, else random)." };
        var fraction = new Option<double>("--test-fraction") { Description = "The share of rows held out.", DefaultValueFactory = _ => 0.2 };
        var force = new Option<bool>("--force") { Description = "Promote the candidate even if the gate rejects it or the active model is not comparable." };
        var objective = new Option<string>("--objective") { Description = "binary (approve/reject label) multiclass (a label column of any number of named classes; softmax gbdt, gated on log loss) or lambdarank (learn to rank graded relevance 0-31 within query groups from --group COL or --query FILE).", DefaultValueFactory = _ => "binary" };
        var json = JsonOutput.CreateOption();
        var command = new Command("train", "Train, calibrate and evaluate a model, store it as a new version, and promote it if it beats the active version on the same holdout.");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(test);
        command.Options.Add(split);
        command.Options.Add(fraction);
        learner.AddTo(command, withCalibration: true);
        command.Options.Add(force);
        command.Options.Add(objective);
        command.Options.Add(json);
        command.Validators.Add(r =>
        {
            if (r.GetResult(test) is not null && r.GetResult(split) is not null)
            {
                r.AddError("--test and --split cannot be combined: a test file is the holdout.");
            }
        });
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var asJson = result.GetValue(json);
            var testPath = result.GetValue(test);
            var options = learner.ToOptions(result);
            options.TestFraction = result.GetValue(fraction);
            options.Split = TrainingInput.ParseSplit(result.GetValue(split), result.GetValue(data.Time) is not null);
            if (options.Calibration == Calibration.CalibrationMethod.None)
            {
                // Multiclass calibration is chosen among none, temperature and vector scaling; --calibration none turns it off.
                options.MulticlassCalibration = Calibration.MulticlassCalibrationMethod.None;
            }

            options.Ranking = TrainingInput.ParseObjective(result.GetValue(objective), result.GetValue(learner.Trainer), data.IsSvmLight(result) ? result.GetValue(data.Query) : result.GetValue(data.Group), data.IsSvmLight(result));
            var trainer = new QualityTrainer(options);
            using var manager = store.Open(result, mustExist: false);
            StoreArguments.EnsureWritable(result.GetValue(store.Store)!);
            await manager.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);

            var multiclass = result.GetValue(objective)?.ToLowerInvariant() switch
            {
                "binary" => false,
                "multiclass" => true,
                "lambdarank" => false,
                var o => throw new ArgumentException($"--objective must be binary, multiclass or lambdarank (was '{o}')."),
            };
            if (multiclass)
            {
                if (options.Learner is not null || options.Trainer != TrainerKind.Gbdt)
                {
                    throw new ArgumentException("--objective multiclass trains softmax gradient-boosted trees: use --trainer gbdt.");
                }

                return await MulticlassCli.TrainAndReportAsync(stdout, stderr, trainer, manager, data, result, testPath, result.GetValue(force), asJson, cancellationToken).ConfigureAwait(false);
            }

            var trained = await CliProgress.RunAsync(stderr, asJson, "training", progress =>
                TrainingInput.TrainAsync(trainer, data, result, testPath, new TrainingInput.Progress(p => progress.Report(p.Fraction)), cancellationToken)).ConfigureAwait(false);
            var report = trained.Report;
            var splitName = testPath is not null ? "file" : TrainingInput.SplitName(report.Data.Split);
            var request = trained.CreateSaveRequest() with
            {
                Properties = new Dictionary<string, string>
                {
                    ["pq.data"] = result.GetValue(data.Data)!,
                    ["pq.split"] = splitName,
                    ["pq.calibration"] = TrainArguments.Name(report.CalibrationMethod),
                },
            };
            var outcome = await manager.ProposeAsync(trained, request, result.GetValue(force), cancellationToken).ConfigureAwait(false);
            TrainOutput.Write(stdout, report, outcome, splitName, options.Ranking is null ? "binary" : "lambdarank", asJson);
            foreach (var warning in report.Warnings)
            {
                stderr.WriteLine("warning: " + warning);
            }

            return 0;
        }));
        return command;
    }
}
