using System.CommandLine;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq rollback</c>: goes back to the version active before the current one, or to a named version.</summary>
internal static class RollbackCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new StoreArguments(withVersion: false);
        var to = new Option<string?>("--to") { Description = "The version id or alias to go back to (default: the version active before the current one)." };
        var json = JsonOutput.CreateOption();
        var command = new Command("rollback", "Roll back to the previously active version, or to a named one.");
        store.AddTo(command);
        command.Options.Add(to);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            using var manager = store.Open(result, mustExist: true);
            var activated = await manager.RollbackAsync(result.GetValue(to), "rolled back with pq rollback", cancellationToken).ConfigureAwait(false);
            PromoteCommand.WriteActive(stdout, result.GetValue(json), activated.Version, "Rolled back; active");
            return 0;
        }));
        return command;
    }
}
