using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Evaluation;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq evaluate</c>: a stored version's metrics on a labelled data file, mapped through the model's own columns.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: true);
        var json = JsonOutput.CreateOption();
        var command = new Command("evaluate", "Score a labelled data file with a stored model version and print AUC, PR-AUC, accuracy, precision, recall, F1, log loss, Brier score and ECE; with query groups (--group COL or --query FILE) also NDCG@1/3/5 (linear and exponential gain), MAP and MRR.");
        store.AddTo(command);
        data.AddTo(command);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var asJson = result.GetValue(json);
            using var manager = store.Open(result, mustExist: true);
            if (await MulticlassCli.TryLoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false) is { } multiclassModel)
            {
                var (mcVersion, mcModel, _) = multiclassModel;
                return MulticlassMetricsOutput.Evaluate(stdout, data, result, mcVersion, mcModel, asJson, cancellationToken);
            }

            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            var rows = ModelInput.LoadLabelled(data, result, loaded, cancellationToken);
            var scores = ModelInput.Score(loaded.Model, rows);
            var queries = rows.Dataset is { } d ? d.QueryBoundaries : null;
            var labels = rows.Labels!;
            if (queries is not null || loaded.Model.IsRanking)
            {
                // Graded relevance: above 0 counts as accepted for the probability metrics.
                labels = labels.Select(l => l > 0 ? 1f : 0f).ToArray();
            }

            var evaluation = BinaryEvaluation.Compute(labels, scores);
            var metrics = new Dictionary<string, double>(evaluation.ToDictionary(), StringComparer.Ordinal);
            if (queries is not null)
            {
                // NDCG orders by the model's own ranking score: a calibrator may tie candidates it kept apart.
                var order = ModelInput.RankingScores(loaded.Model, rows);
                foreach (var (key, value) in RankingMetrics.Compute(rows.Labels, order, queries))
                {
                    metrics[key] = value;
                }
            }

            if (asJson)
            {
                JsonOutput.Write(stdout, new JsonObject
                {
                    ["version"] = loaded.Version,
                    ["rows"] = rows.RowCount,
                    ["metrics"] = JsonOutput.Metrics(metrics),
                });
            }
            else
            {
                var console = HumanOutput.Create(stdout);
                console.WriteLine($"Version {loaded.Version} on {result.GetValue(data.Data)}: {rows.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows");
                HumanOutput.WriteMetrics(console, metrics);
            }

            foreach (var warning in evaluation.Warnings)
            {
                stderr.WriteLine("warning: " + warning);
            }

            return 0;
        }));
        return command;
    }
}
