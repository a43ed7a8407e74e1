using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Experiments;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq experiment assign|report</c>: sticky variant assignment, and the per-variant report of an impression log.</summary>
internal static class ExperimentCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("experiment", "A/B experiments: assign units to variants, and report metrics and significance from an impression log.");
        command.Subcommands.Add(Assign(stdout, stderr));
        command.Subcommands.Add(Report(stdout, stderr));
        return command;
    }

    private static (Option<string> Id, Option<string> Variants, Option<string> Salt, Option<double> Holdback) Definition(Command command)
    {
        var id = new Option<string>("--experiment") { Description = "The experiment id (part of the assignment hash).", Required = true };
        var variants = new Option<string>("--variants") { Description = "Variants with weights, control first: control=1,treatment=1.", Required = true };
        var salt = new Option<string>("--salt") { Description = "Salt of the assignment hash.", DefaultValueFactory = _ => string.Empty };
        var holdback = new Option<double>("--holdback") { Description = "Share of units held back on the control, outside the comparison." };
        command.Options.Add(id);
        command.Options.Add(variants);
        command.Options.Add(salt);
        command.Options.Add(holdback);
        return (id, variants, salt, holdback);
    }

    private static Experiment Build(ParseResult result, (Option<string> Id, Option<string> Variants, Option<string> Salt, Option<double> Holdback) o)
    {
        var variants = new List<ExperimentVariant>();
        foreach (var part in result.GetValue(o.Variants)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var weight = 1.0;
            if (eq >= 0 && !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight))
            {
                throw new ArgumentException($"--variants: cannot read the weight of '{part}' (expected name=weight).");
            }

            variants.Add(new ExperimentVariant(name, weight));
        }

        var experiment = new Experiment { Id = result.GetValue(o.Id)!, Variants = variants, Salt = result.GetValue(o.Salt) ?? string.Empty, HoldbackFraction = result.GetValue(o.Holdback) };
        var errors = experiment.Validate();
        return errors.Count == 0 ? experiment : throw new ArgumentException(string.Join(" ", errors));
    }

    private static Command Assign(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("assign", "Print each unit's variant. The same unit always gets the same variant, in any process.");
        var definition = Definition(command);
        var units = new Argument<string[]>("units") { Description = "Unit (user) ids.", Arity = ArgumentArity.OneOrMore };
        var json = JsonOutput.CreateOption();
        command.Arguments.Add(units);
        command.Options.Add(json);
        command.SetAction(result => CommandErrors.Run(stderr, () =>
        {
            var experiment = Build(result, definition);
            var assigner = new ExperimentAssigner([experiment]);
            var list = new JsonArray();
            foreach (var unit in result.GetValue(units)!)
            {
                var a = assigner.Assign(experiment.Id, unit);
                if (result.GetValue(json))
                {
                    list.Add(new JsonObject { ["unit"] = unit, ["variant"] = a.Variant, ["holdback"] = a.IsHoldback });
                }
                else
                {
                    stdout.WriteLine($"{unit}\t{a.Variant}{(a.IsHoldback ? "\tholdback" : string.Empty)}");
                }
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject { ["experiment"] = experiment.Id, ["assignments"] = list });
            }

            return 0;
        }));
        return command;
    }

    private static Command Report(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("report", "Per-variant acceptance, CTR at position, time to action; z-test, always-valid sequential test (daily peeks) and sample ratio check.");
        var definition = Definition(command);
        var log = new Option<string>("--log") { Description = "Impression log CSV: unit, variant[, day, position, accepted, clicked, seconds].", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "Significance level.", DefaultValueFactory = _ => 0.05 };
        var json = JsonOutput.CreateOption();
        command.Options.Add(log);
        command.Options.Add(alpha);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, () =>
        {
            var report = ExperimentLog.Report(result.GetValue(log)!, Build(result, definition), result.GetValue(alpha), cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, ExperimentReportJson.From(report));
            }
            else
            {
                var console = HumanOutput.Create(stdout);
                console.WriteLine($"Experiment {report.ExperimentId}: {report.Peeks} peek(s); sample ratio p = {report.SampleRatio.PValue:F4}{(report.SampleRatio.Mismatch ? " MISMATCH" : string.Empty)}");
                foreach (var v in report.Variants)
                {
                    console.WriteLine($"  {v.Variant}: {v.Units} units, conversion {v.UnitConversionRate:P2}, acceptance {v.AcceptanceRate:P2} of {v.Impressions} impressions, {v.Fallbacks} fallbacks");
                }

                foreach (var c in report.Comparisons)
                {
                    console.WriteLine($"  {c.Variant} vs {c.Control}: lift {c.RelativeLift:P2}; z-test p = {c.FixedHorizon.PValue:F4}; always-valid p = {c.Sequential.PValue:F4}{(c.Sequential.Significant ? " (significant)" : string.Empty)}");
                }
            }

            return Task.FromResult(0);
        }));
        return command;
    }
}
