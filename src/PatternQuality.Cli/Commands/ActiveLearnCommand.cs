using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.ActiveLearning;
using PatternQuality.Cli.Reporting;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq active-learn</c>: simulates the feedback loop on a labelled file and prints each query strategy's learning
/// curve (test AUC against labels), random sampling always included as the baseline.
/// </summary>
internal static class ActiveLearnCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var strategies = new Option<string[]>("--strategy") { Description = "A query strategy (repeatable): " + string.Join(", ", QueryStrategies.Names) + ". Default: all of them." };
        var start = new Option<int>("--start") { Description = "Random labels every strategy starts from.", DefaultValueFactory = _ => 100 };
        var batch = new Option<int>("--batch") { Description = "Labels asked for per round.", DefaultValueFactory = _ => 100 };
        var budget = new Option<int>("--budget") { Description = "Labels at which a run stops.", DefaultValueFactory = _ => 2000 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds (split, starting labels) to average over (1 to 100).", DefaultValueFactory = _ => 5 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction held out for test AUC.", DefaultValueFactory = _ => 0.2 };
        var html = new Option<string?>("--html") { Description = "Also write the learning curves as an HTML plot to this file." };
        var json = JsonOutput.CreateOption();
        var command = new Command("active-learn", "Compare active-learning query strategies on a labelled file: the learning curve of each, random sampling as the baseline.");
        data.AddTo(command);
        foreach (var option in new Option[] { strategies, start, batch, budget, seeds, testFraction, html, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var asJson = result.GetValue(json);
            var names = (result.GetValue(strategies) is { Length: > 0 } asked ? asked : QueryStrategies.Names)
                .Select(n => n.Trim().ToLowerInvariant()).Prepend("random").Distinct(StringComparer.Ordinal).ToArray();
            var chosen = names.Select(QueryStrategies.Create).ToArray();
            var options = new ActiveLearningSimulationOptions
            {
                StartLabels = result.GetValue(start),
                BatchSize = result.GetValue(batch),
                Budget = result.GetValue(budget),
                Seeds = result.GetValue(seeds),
                TestFraction = result.GetValue(testFraction),
            };
            options.Validate();
            var simulation = await CliProgress.RunAsync(stderr, asJson, "simulating", progress => Task.Run(
                () => ActiveLearningSimulation.Run(data.LoadLabelled(result, cancellationToken), chosen, options, progress, cancellationToken),
                cancellationToken)).ConfigureAwait(false);

            if (result.GetValue(html) is { } htmlPath)
            {
                await File.WriteAllTextAsync(htmlPath, LearningCurveReportWriter.Render("Active learning: " + Path.GetFileName(result.GetValue(data.Data)), simulation), cancellationToken).ConfigureAwait(false);
            }

            if (asJson)
            {
                var curves = new JsonObject();
                foreach (var (name, curve) in simulation.Curves)
                {
                    curves[name] = new JsonArray(curve.Select(p => (JsonNode)new JsonObject
                    {
                        ["labels"] = p.Labels,
                        ["auc"] = JsonOutput.Number(p.Auc),
                        ["auc_std"] = JsonOutput.Number(p.AucStandardDeviation),
                    }).ToArray());
                }

                JsonOutput.Write(stdout, new JsonObject { ["seeds"] = simulation.Seeds, ["curves"] = curves });
                return 0;
            }

            var console = HumanOutput.Create(stdout);
            var table = new Table().AddColumn("labels");
            foreach (var name in simulation.Curves.Keys)
            {
                table.AddColumn(name);
            }

            var points = simulation.Curves["random"].Count;
            for (var p = 0; p < points; p++)
            {
                table.AddRow([
                    simulation.Curves["random"][p].Labels.ToString(CultureInfo.InvariantCulture),
                    .. simulation.Curves.Values.Select(c => p < c.Count ? HumanOutput.Format(c[p].Auc) : string.Empty)]);
            }

            console.Write(table);
            return 0;
        }));
        return command;
    }
}
