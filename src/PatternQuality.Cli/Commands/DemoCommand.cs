using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Demo;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq demo</c>: the README's main job. A built-in feedback simulator plays a host application for six simulated
/// weeks; models are trained, gated, versioned and rolled back, and it ends with the HTML report.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, DemoOptions? options = null)
    {
        var output = new Option<string>("--out") { Description = "The folder for the model store and report.html (a store from an earlier demo there is replaced).", DefaultValueFactory = _ => "pq-demo" };
        var json = JsonOutput.CreateOption();
        var command = new Command("demo", "Simulate a host application for six weeks: feedback, weekly training, the quality gate, versions, a drift, a rollback, and an HTML report.");
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var asJson = result.GetValue(json);
            var demo = await CliProgress.RunAsync(stderr, asJson, "simulating feedback", progress =>
                new DemoRunner(options ?? new DemoOptions(), progress).RunAsync(result.GetValue(output)!, cancellationToken)).ConfigureAwait(false);
            if (asJson)
            {
                JsonOutput.Write(stdout, ToJson(demo));
            }
            else
            {
                Write(stdout, demo);
            }

            return 0;
        }));
        return command;
    }

    internal static JsonObject ToJson(DemoResult d)
    {
        var events = new JsonArray();
        foreach (var e in d.Events)
        {
            events.Add(new JsonObject
            {
                ["day"] = e.Day + 1,
                ["date"] = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["event"] = e.Event,
                ["version"] = e.Version,
                ["outcome"] = e.Outcome,
                ["detail"] = e.Detail,
            });
        }

        return new JsonObject
        {
            ["report"] = d.ReportPath,
            ["store"] = d.StoreDirectory,
            ["days"] = d.Days,
            ["feedback"] = d.Feedback,
            ["versions"] = d.Versions,
            ["promoted"] = d.Promoted,
            ["rejected"] = d.Rejected,
            ["rollbacks"] = d.Rollbacks,
            ["active"] = d.ActiveVersion,
            ["metrics"] = JsonOutput.Metrics(d.FinalMetrics),
            ["seconds"] = Math.Round(d.Seconds, 2),
            ["timeline"] = events,
        };
    }

    private static void Write(TextWriter stdout, DemoResult d)
    {
        var console = HumanOutput.Create(stdout);
        var inv = CultureInfo.InvariantCulture;
        console.WriteLine(string.Create(inv, $"Simulated {d.Days} days of a host application: {d.Feedback:N0} approvals and rejections; tastes drift halfway."));
        var timeline = new Table().Title("Version timeline").AddColumns("day", "date", "event", "version", "outcome", "detail");
        foreach (var e in d.Events)
        {
            timeline.AddRow(
                (e.Day + 1).ToString(inv),
                e.Date.ToString("yyyy-MM-dd", inv),
                Markup.Escape(e.Event),
                Markup.Escape(DemoRunner.Short(e.Version)),
                Markup.Escape(e.Outcome),
                Markup.Escape(e.Detail));
        }

        console.Write(timeline);
        var weeks = new Table().Title("Live metrics per week").AddColumns("week", "active", "rows", "auc", "brier", "ece");
        foreach (var w in d.Weeks)
        {
            weeks.AddRow((w.Week + 1).ToString(inv), Markup.Escape(w.ActiveVersions), w.Rows.ToString(inv), HumanOutput.Format(w.Auc), HumanOutput.Format(w.Brier), HumanOutput.Format(w.Ece));
        }

        console.Write(weeks);
        console.WriteLine($"{d.Versions} versions stored ({d.Promoted} promoted, {d.Rejected} rejected, {d.Rollbacks} rollback); active: {d.ActiveVersion}.");
        console.WriteLine($"Store: {d.StoreDirectory}  (try: pq versions --store {d.StoreDirectory})");
        console.WriteLine($"Report: {d.ReportPath}");
        console.WriteLine(string.Create(inv, $"Done in {d.Seconds:0.0} s."));
    }
}
