using System.CommandLine;
using System.Text.Json.Nodes;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq promote</c>: makes a version (for example a rejected challenger) the active one by hand.</summary>
internal static class PromoteCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new StoreArguments(withVersion: false);
        var version = new Option<string>("--version") { Description = "The version id or alias to activate.", Required = true };
        var json = JsonOutput.CreateOption();
        var command = new Command("promote", "Activate a version by hand, bypassing the quality gate; the previous active version becomes its rollback target.");
        store.AddTo(command);
        command.Options.Add(version);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            using var manager = store.Open(result, mustExist: true);
            var activated = await manager.ActivateAsync(result.GetValue(version)!, "promoted by hand with pq promote", cancellationToken).ConfigureAwait(false);
            WriteActive(stdout, result.GetValue(json), activated.Version, "Active");
            return 0;
        }));
        return command;
    }

    internal static void WriteActive(TextWriter stdout, bool json, string active, string label)
    {
        if (json)
        {
            JsonOutput.Write(stdout, new JsonObject { ["active"] = active });
        }
        else
        {
            stdout.WriteLine($"{label}: {active}");
        }
    }
}
