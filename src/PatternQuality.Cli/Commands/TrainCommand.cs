using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Scoring;
using PatternQuality.Training;
using PatternQuality.Versioning;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq train</c>: trains and calibrates a candidate, scores the same holdout with the active model, and lets the
/// quality gate decide whether the candidate becomes active; the version is stored either way.
/// </summary>
/// <remarks>
/// When the active model cannot read the holdout (it was trained on other columns or another format) there is nothing
/// to compare: the candidate is stored as the challenger and not promoted, unless <c>--force</c> is given.
/// <c>--force</c> also promotes a candidate the gate rejected; the decision records that it was forced.
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
        var json = JsonOutput.CreateOption();
        var command = new Command("train", "Train, calibrate and evaluate a model, store it as a new version, and promote it if it beats the active version on the same holdout.");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(test);
        command.Options.Add(split);
        command.Options.Add(fraction);
        learner.AddTo(command, withCalibration: true);
        command.Options.Add(force);
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
            var options = learner.ToOptions(result);
            options.TestFraction = result.GetValue(fraction);
            var trainer = new QualityTrainer(options);
            using var manager = store.Open(result, mustExist: false);
            var storeDir = result.GetValue(store.Store)!;
            StoreArguments.EnsureWritable(storeDir);

            var (prepared, trained) = await CliProgress.RunAsync(stderr, asJson, "training", async progress =>
            {
                var d = TrainingData.Load(data, result, result.GetValue(test), result.GetValue(split), options.TestFraction, options.Seed, cancellationToken);
                progress.Report(0.05);
                var sink = new Progress(p => progress.Report(0.05 + (0.9 * p.Fraction)));
                var r = await trainer.TrainAsync(d.Train, d.Test, sink, cancellationToken).ConfigureAwait(false);
                return (d, r);
            }).ConfigureAwait(false);

            var candidate = new QualityModel(trained.Model.Predictor, trained.Model.Calibrator, trained.Model.Info, prepared.History, prepared.Columns);
            var outcome = await ProposeAsync(manager, storeDir, candidate, trained, prepared, result.GetValue(force), result.GetValue(data.Data)!, cancellationToken).ConfigureAwait(false);
            var report = trained.Report;
            if (asJson)
            {
                JsonOutput.Write(stdout, new JsonObject
                {
                    ["version"] = outcome.Version.Version,
                    ["promoted"] = outcome.Promoted,
                    ["rows"] = new JsonObject { ["train"] = prepared.Train.RowCount, ["test"] = prepared.Test.RowCount },
                    ["train_seconds"] = Math.Round(report.Timings.Total.TotalSeconds, 3),
                    ["calibration"] = TrainArguments.Name(report.CalibrationMethod),
                    ["metrics"] = JsonOutput.Metrics(report.Metrics),
                    ["split"] = prepared.Split,
                    ["decision"] = outcome.Decision.Reason,
                });
            }
            else
            {
                var console = HumanOutput.Create(stdout);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained {report.Trainer} on {prepared.Train.RowCount:N0} rows in {report.Timings.Total.TotalSeconds:0.0} s; {prepared.Split} holdout of {prepared.Test.RowCount:N0} rows; calibration {TrainArguments.Name(report.CalibrationMethod)}."));
                HumanOutput.WriteMetrics(console, report.Metrics);
                console.WriteLine($"Stored version {outcome.Version.Version}: {(outcome.Promoted ? "promoted, now active" : "not promoted, kept as challenger")}.");
                console.WriteLine(outcome.Decision.Reason);
            }

            foreach (var warning in report.Warnings)
            {
                stderr.WriteLine("warning: " + warning);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Runs the gate on the shared holdout and stores the candidate with the decision.</summary>
    internal static async Task<ModelProposalResult> ProposeAsync(
        ModelVersionManager manager, string storeDir, QualityModel candidate, TrainingResult trained, TrainingData prepared, bool force, string dataPath, CancellationToken cancellationToken)
    {
        var labels = trained.TestLabels;
        var candidateScores = trained.TestScores;
        var championScores = ReadOnlyMemory<float>.Empty;
        PromotionDecision? decision = null;
        var active = await manager.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        if (active is not null)
        {
            float[]? scores;
            string? notComparable;
            try
            {
                var champion = await ModelInput.LoadAsync(manager, storeDir, active, cancellationToken).ConfigureAwait(false);
                (scores, notComparable) = prepared.ScoreHoldout(champion.Model, active, cancellationToken);
            }
            catch (Storage.ModelStoreCorruptedException ex)
            {
                // A damaged champion cannot be compared with; the candidate is kept, and --force can replace the champion.
                (scores, notComparable) = (null, $"the active version '{active}' cannot be loaded ({ex.Message})");
            }

            if (scores is null)
            {
                decision = force
                    ? new PromotionDecision(true, $"Promoted by --force: not comparable with the champion, {notComparable}.")
                    : new PromotionDecision(false, $"Rejected: not comparable with the champion, {notComparable}; use --force to promote it anyway.");
                championScores = candidateScores;
            }
            else
            {
                championScores = scores;
                decision = new DefaultPromotionPolicy().Decide(labels, championScores, candidateScores, cancellationToken);
                if (!decision.Promoted && force)
                {
                    decision = decision with { Promoted = true, Reason = "Promoted by --force, overriding the gate. " + decision.Reason };
                }
            }
        }

        using var gated = StoreArguments.OpenManager(storeDir, decision is null ? null : new FixedDecisionPolicy(decision));
        var report = trained.Report;
        var request = new ModelSaveRequest
        {
            SchemaHash = candidate.Info.Schema.Hash,
            TrainingRows = prepared.Train.RowCount,
            Trainer = report.Trainer,
            TrainerOptions = candidate.Predictor is Trees.TreeEnsembleModel t ? t.TrainingOptions : new Dictionary<string, string>(),
            Metrics = report.Metrics,
            Properties = new Dictionary<string, string>
            {
                ["pq.data"] = dataPath,
                ["pq.split"] = prepared.Split,
                ["pq.calibration"] = TrainArguments.Name(report.CalibrationMethod),
            },
        };
        return await gated.ProposeAsync(candidate.ToBytes(), request, labels, championScores, candidateScores, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forwards training progress synchronously (see <see cref="CliProgress"/>).</summary>
    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
