using System.CommandLine;
using System.Text.Json.Nodes;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Online;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq replay</c>: trains on the first part of a time-ordered file, then streams the rest in batches, scoring each
/// batch before anyone learns from it (prequential), for three contenders: static (never updated), incremental
/// (the engine of <see cref="IncrementalLearner{TPattern}"/>); a shell over <see cref="ReplaySimulation"/> and a full retrain every N rows.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var initialFraction = new Option<double>("--initial-fraction") { Description = "Share of the rows (the earliest) to train on before streaming.", DefaultValueFactory = _ => 0.7 };
        var batch = new Option<int>("--batch") { Description = "Rows per streamed batch.", DefaultValueFactory = _ => 100 };
        var retrainEvery = new Option<int>("--retrain-every") { Description = "The retrain contender retrains from scratch after this many streamed rows.", DefaultValueFactory = _ => 2000 };
        var learner = new IncrementalArguments();
        var json = new Option<bool>("--json") { Description = "Print one JSON object and nothing else on stdout." };
        var command = new Command("replay", "Replay a time-ordered file: train on the first part, then stream the rest in batches and compare static, incremental and periodic full retraining, prequentially.");
        data.AddTo(command);
        foreach (var option in new Option[] { initialFraction, batch, retrainEvery, json })
        {
            command.Options.Add(option);
        }

        learner.AddTo(command);

        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(stderr, () =>
        {
            var settings = new ReplaySimulationOptions
            {
                InitialFraction = result.GetValue(initialFraction),
                BatchSize = result.GetValue(batch),
                RetrainEvery = result.GetValue(retrainEvery),
                Learner = learner.ToOptions(result),
            };
            var dataset = Load(data, result);
            var report = ReplaySimulation.Run(dataset, settings, cancellationToken: cancellationToken);
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

    internal static JsonObject ToJson(ReplaySimulationResult report) => new()
    {
        ["batches"] = report.Batches,
        ["static"] = Metrics(report.Static),
        ["incremental"] = Metrics(report.Incremental),
        ["retrain"] = Metrics(report.Retrain),
        ["update_ms"] = new JsonObject
        {
            ["p50"] = Math.Round(report.UpdateP50Milliseconds, 2),
            ["p95"] = Math.Round(report.UpdateP95Milliseconds, 2),
            ["max"] = Math.Round(report.UpdateMaxMilliseconds, 2),
        },
        ["initial_rows"] = report.InitialRows,
        ["streamed_rows"] = report.StreamedRows,
        ["accepted_updates"] = report.AcceptedUpdates,
        ["compactions"] = report.Compactions,
        ["final_trees"] = report.FinalTreeCount,
        ["served_updated_batches"] = report.ServedUpdatedBatches,
        ["restarts"] = report.Restarts,
    };

    private static JsonObject Metrics(ReplayMetrics m) => new()
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

        var dataset = data.LoadRows(result, path, options, null, CancellationToken.None).Dataset;
        if (dataset.Timestamps is not { Length: > 0 } times)
        {
            return dataset;
        }

        // Stable sort by time: rows with equal times keep file order.
        var order = Enumerable.Range(0, dataset.RowCount).OrderBy(i => times.Span[i]).ToArray();
        return dataset.Select(order);
    }

    private static void WriteTable(TextWriter stdout, string path, ReplaySimulationResult report)
    {
        var console = HumanOutput.Create(stdout);
        console.WriteLine($"{path}: trained on {report.InitialRows:N0} rows, streamed {report.StreamedRows:N0} in {report.Batches} batches (scored before learning)");
        var table = new Table().AddColumns("contender", "AUC", "log loss");
        foreach (var (name, m) in new[] { ("static", report.Static), ("incremental", report.Incremental), ("retrain", report.Retrain) })
        {
            table.AddRow(name, DataArguments.FormatNumber(m.Auc), DataArguments.FormatNumber(m.LogLoss));
        }

        console.Write(table);
        console.WriteLine(
            $"update ms: p50 {DataArguments.FormatNumber(report.UpdateP50Milliseconds)}, p95 {DataArguments.FormatNumber(report.UpdateP95Milliseconds)}, max {DataArguments.FormatNumber(report.UpdateMaxMilliseconds)}; " +
            $"{report.AcceptedUpdates} of {report.Batches} updates accepted, {report.Compactions} compactions, {report.FinalTreeCount} trees at the end; " +
            $"updated model served after {report.ServedUpdatedBatches} of {report.Batches} updates, {report.Restarts} restarts from the last full model");
    }
}
