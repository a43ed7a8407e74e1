using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Online;
using PatternQuality.Online.Internal;
using PatternQuality.Trees;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq replay</c>: trains on the first part of a time-ordered file, then streams the rest in batches, scoring each
/// batch before anyone learns from it (prequential), for three contenders: static (never updated), incremental
/// (<see cref="IncrementalUpdater"/>, the engine of <see cref="IncrementalLearner{TPattern}"/>) and a full retrain every N rows.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var initialFraction = new Option<double>("--initial-fraction") { Description = "Share of the rows (the earliest) to train on before streaming.", DefaultValueFactory = _ => 0.7 };
        var batch = new Option<int>("--batch") { Description = "Rows per streamed batch.", DefaultValueFactory = _ => 100 };
        var retrainEvery = new Option<int>("--retrain-every") { Description = "The retrain contender retrains from scratch after this many streamed rows.", DefaultValueFactory = _ => 2000 };
        var trees = new Option<int?>("--trees-per-update") { Description = "Incremental: trees added per update (default 3)." };
        var leaves = new Option<int?>("--leaves") { Description = "Incremental: leaves per added tree (default 8)." };
        var minLeaf = new Option<int?>("--min-leaf") { Description = "Incremental: minimum replayed rows per leaf of an added tree (default 40)." };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Incremental: shrinkage of added trees (default 0.05)." };
        var window = new Option<int?>("--window") { Description = "Incremental: replay window in rows (default 4000)." };
        var halfLife = new Option<int?>("--half-life") { Description = "Incremental: age in rows at which a replayed row weighs half (default 0: all alike)." };
        var guard = new Option<double?>("--guard") { Description = "Incremental: share of each batch held back to guard the update; 0 turns the guard off (default 0.3)." };
        var refit = new Option<double?>("--refit-decay") { Description = "Incremental: refit every leaf on the window with this decay (default off)." };
        var noRecalibrate = new Option<bool>("--no-recalibrate") { Description = "Incremental: do not refit the Platt calibrator per update." };
        var maxTrees = new Option<int?>("--max-trees") { Description = "Incremental: tree count that triggers compaction by a full retrain (default 1000)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object and nothing else on stdout." };
        var command = new Command("replay", "Replay a time-ordered file: train on the first part, then stream the rest in batches and compare static, incremental and periodic full retraining, prequentially.");
        data.AddTo(command);
        foreach (var option in new Option[] { initialFraction, batch, retrainEvery, trees, leaves, minLeaf, learningRate, window, halfLife, guard, refit, noRecalibrate, maxTrees, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(stderr, () =>
        {
            var options = new IncrementalLearnerOptions();
            options.NumberOfTreesPerUpdate = result.GetValue(trees) ?? options.NumberOfTreesPerUpdate;
            options.NumberOfLeaves = result.GetValue(leaves) ?? options.NumberOfLeaves;
            options.MinimumExampleCountPerLeaf = result.GetValue(minLeaf) ?? options.MinimumExampleCountPerLeaf;
            options.LearningRate = result.GetValue(learningRate) ?? options.LearningRate;
            options.ReplayWindowSize = result.GetValue(window) ?? options.ReplayWindowSize;
            options.ReplayHalfLife = result.GetValue(halfLife) ?? options.ReplayHalfLife;
            options.GuardFraction = result.GetValue(guard) ?? options.GuardFraction;
            options.LeafRefitDecay = result.GetValue(refit);
            options.Recalibrate = !result.GetValue(noRecalibrate);
            options.MaximumTreeCount = result.GetValue(maxTrees) ?? options.MaximumTreeCount;
            try
            {
                options.Validate();
            }
            catch (OptionsValidationException ex)
            {
                throw new ArgumentException(ex.Message, ex);
            }

            var settings = new ReplaySettings(result.GetValue(initialFraction), result.GetValue(batch), result.GetValue(retrainEvery), options);
            var dataset = Load(data, result);
            var report = Replay(dataset, settings, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, ToJson(report));
            }
            else
            {
                WriteTable(stdout, result.GetValue(data.Data)!, report);
            }

            return 0;
        })));
        return command;
    }

    /// <summary>Runs the replay on rows already in time order.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or the data is too small to split.</exception>
    internal static ReplayReport Replay(Dataset data, ReplaySettings settings, CancellationToken cancellationToken)
    {
        if (!(settings.InitialFraction > 0 && settings.InitialFraction < 1))
        {
            throw new ArgumentException($"--initial-fraction is {settings.InitialFraction.ToString(CultureInfo.InvariantCulture)}; allowed: greater than 0, less than 1.");
        }

        if (settings.BatchSize < 1)
        {
            throw new ArgumentException($"--batch is {settings.BatchSize}; allowed: 1 or more.");
        }

        if (settings.RetrainEvery < 1)
        {
            throw new ArgumentException($"--retrain-every is {settings.RetrainEvery}; allowed: 1 or more.");
        }

        var n = data.RowCount;
        var initialCount = (int)(n * settings.InitialFraction);
        if (initialCount < 2 || initialCount >= n)
        {
            throw new ArgumentException($"The file has {n} rows; --initial-fraction {settings.InitialFraction.ToString(CultureInfo.InvariantCulture)} leaves nothing to train on or nothing to stream.");
        }

        var learner = new GradientBoostingLearner(new GradientBoostingOptions { Seed = settings.Options.Seed });
        var initial = data.Select(Range(0, initialCount));
        var staticModel = learner.Fit(initial, cancellationToken: cancellationToken);
        var retrainModel = staticModel;
        var updater = new IncrementalUpdater(settings.Options, staticModel, null, initial);

        var streamed = n - initialCount;
        var labels = new float[streamed];
        var staticScores = new float[streamed];
        var incrementalScores = new float[streamed];
        var retrainScores = new float[streamed];
        var durations = new List<double>();
        int batches = 0, accepted = 0, compactions = 0, sinceRetrain = 0;
        var time = TimeProvider.System;
        for (var start = initialCount; start < n; start += settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(n, start + settings.BatchSize);
            var batch = data.Select(Range(start, end));

            // Test, then train: every contender scores the batch before any of them learns from it.
            for (var r = 0; r < batch.RowCount; r++)
            {
                var i = start - initialCount + r;
                var row = batch.GetRow(r);
                labels[i] = batch.Labels.Span[r];
                staticScores[i] = staticModel.PredictProbability(row);
                retrainScores[i] = retrainModel.PredictProbability(row);
                incrementalScores[i] = updater.Score(row);
            }

            var began = time.GetTimestamp();
            var outcome = updater.Update(batch, cancellationToken);
            durations.Add(time.GetElapsedTime(began).TotalMilliseconds);
            accepted += outcome.Accepted ? 1 : 0;
            batches++;

            // Compaction and the retrain contender run off the hot path: not part of the update time.
            if (updater.NeedsCompaction)
            {
                updater.Replace(learner.Fit(data.Select(Range(0, end)), cancellationToken: cancellationToken), null);
                compactions++;
            }

            sinceRetrain += end - start;
            if (sinceRetrain >= settings.RetrainEvery)
            {
                retrainModel = learner.Fit(data.Select(Range(0, end)), cancellationToken: cancellationToken);
                sinceRetrain = 0;
            }
        }

        durations.Sort();
        return new ReplayReport(
            batches,
            initialCount,
            streamed,
            Score(labels, staticScores),
            Score(labels, incrementalScores),
            Score(labels, retrainScores),
            Percentile(durations, 0.5),
            Percentile(durations, 0.95),
            durations.Count == 0 ? 0 : durations[^1],
            accepted,
            compactions,
            updater.Model.TreeCount);
    }

    internal static JsonObject ToJson(ReplayReport report) => new()
    {
        ["batches"] = report.Batches,
        ["static"] = Metrics(report.Static),
        ["incremental"] = Metrics(report.Incremental),
        ["retrain"] = Metrics(report.Retrain),
        ["update_ms"] = new JsonObject
        {
            ["p50"] = Math.Round(report.UpdateP50, 2),
            ["p95"] = Math.Round(report.UpdateP95, 2),
            ["max"] = Math.Round(report.UpdateMax, 2),
        },
        ["initial_rows"] = report.InitialRows,
        ["streamed_rows"] = report.StreamedRows,
        ["accepted_updates"] = report.AcceptedUpdates,
        ["compactions"] = report.Compactions,
        ["final_trees"] = report.FinalTrees,
    };

    private static JsonObject Metrics((double Auc, double LogLoss) m) => new()
    {
        ["auc"] = Math.Round(m.Auc, 4),
        ["logloss"] = Math.Round(m.LogLoss, 4),
    };

    private static Dataset Load(DataArguments data, ParseResult result)
    {
        var path = result.GetValue(data.Data)!;
        if (data.IsSvmLight(result))
        {
            return SvmLightLoader.Load(path, data.ToSvmLightOptions(result));
        }

        var options = data.ToCsvOptions(result);
        if (options.LabelColumn is null)
        {
            throw new ArgumentException("pq replay needs --label.");
        }

        var dataset = CsvDatasetLoader.Load(path, options).Dataset;
        if (dataset.Timestamps is not { Length: > 0 } times)
        {
            return dataset;
        }

        // Stable sort by time: rows with equal times keep file order.
        var order = Enumerable.Range(0, dataset.RowCount).OrderBy(i => times.Span[i]).ToArray();
        return dataset.Select(order);
    }

    private static int[] Range(int from, int to) => Enumerable.Range(from, to - from).ToArray();

    private static (double, double) Score(float[] labels, float[] scores)
        => (BinaryMetrics.Auc(labels, scores), BinaryMetrics.LogLoss(labels, scores));

    private static double Percentile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    private static void WriteTable(TextWriter stdout, string path, ReplayReport report)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(stdout),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        console.WriteLine($"{path}: trained on {report.InitialRows:N0} rows, streamed {report.StreamedRows:N0} in {report.Batches} batches (scored before learning)");
        var table = new Table().AddColumns("contender", "AUC", "log loss");
        foreach (var (name, m) in new[] { ("static", report.Static), ("incremental", report.Incremental), ("retrain", report.Retrain) })
        {
            table.AddRow(name, DataArguments.FormatNumber(m.Auc), DataArguments.FormatNumber(m.LogLoss));
        }

        console.Write(table);
        console.WriteLine(
            $"update ms: p50 {DataArguments.FormatNumber(report.UpdateP50)}, p95 {DataArguments.FormatNumber(report.UpdateP95)}, max {DataArguments.FormatNumber(report.UpdateMax)}; " +
            $"{report.AcceptedUpdates} of {report.Batches} updates accepted, {report.Compactions} compactions, {report.FinalTrees} trees at the end");
    }

    internal sealed record ReplaySettings(double InitialFraction, int BatchSize, int RetrainEvery, IncrementalLearnerOptions Options);

    internal sealed record ReplayReport(
        int Batches,
        int InitialRows,
        int StreamedRows,
        (double Auc, double LogLoss) Static,
        (double Auc, double LogLoss) Incremental,
        (double Auc, double LogLoss) Retrain,
        double UpdateP50,
        double UpdateP95,
        double UpdateMax,
        int AcceptedUpdates,
        int Compactions,
        int FinalTrees);
}
