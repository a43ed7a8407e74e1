using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Storage;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq versions</c>: every stored version with its lineage, aliases, gate decision and metrics.</summary>
internal static class VersionsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new StoreArguments(withVersion: false);
        var json = JsonOutput.CreateOption();
        var command = new Command("versions", "List the model versions in a store: parent, creation time, aliases, promotion decision and metrics.");
        store.AddTo(command);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            using var manager = store.Open(result, mustExist: true);
            var versions = await manager.ListAsync(cancellationToken).ConfigureAwait(false);
            var active = await manager.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, ToJson(active, versions));
            }
            else
            {
                WriteTable(stdout, active, versions);
            }

            return 0;
        }));
        return command;
    }

    internal static JsonObject ToJson(string? active, IReadOnlyList<ModelMetadata> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject
            {
                ["version"] = v.Version,
                ["parent"] = v.ParentVersion,
                ["created"] = Iso(v.CreatedAt),
                ["aliases"] = new JsonArray(v.Aliases.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["promoted"] = v.Promoted,
                ["metrics"] = JsonOutput.AllMetrics(v.Metrics),
            });
        }

        return new JsonObject { ["active"] = active, ["versions"] = list };
    }

    internal static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // The full decision is in --json and on the version; a table cell gets its gist.
    private static string Shorten(string? decision) => decision is null ? string.Empty : decision.Length <= 60 ? decision : decision[..57] + "...";

    private static void WriteTable(TextWriter stdout, string? active, IReadOnlyList<ModelMetadata> versions)
    {
        var console = HumanOutput.Create(stdout);
        if (versions.Count == 0)
        {
            console.WriteLine("The store has no versions yet; train one with 'pq train'.");
            return;
        }

        var table = new Table().AddColumns("", "version", "parent", "created", "aliases", "promoted", "auc", "brier", "ece", "decision");
        foreach (var v in versions)
        {
            v.Metrics.TryGetValue("auc", out var auc);
            v.Metrics.TryGetValue("brier", out var brier);
            v.Metrics.TryGetValue("ece", out var ece);
            table.AddRow(
                v.Version == active ? "*" : string.Empty,
                Markup.Escape(v.Version),
                Markup.Escape(v.ParentVersion ?? "-"),
                Iso(v.CreatedAt),
                Markup.Escape(string.Join(",", v.Aliases)),
                v.Promoted switch { true => "yes", false => "no", null => "-" },
                v.Metrics.ContainsKey("auc") ? HumanOutput.Format(auc) : "-",
                v.Metrics.ContainsKey("brier") ? HumanOutput.Format(brier) : "-",
                v.Metrics.ContainsKey("ece") ? HumanOutput.Format(ece) : "-",
                Markup.Escape(Shorten(v.Decision)));
        }

        console.Write(table);
        console.WriteLine(active is null ? "No version is active." : $"Active: {active}");
    }
}
