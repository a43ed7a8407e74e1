using System.CommandLine;
using PatternQuality.Cli.Commands;

namespace PatternQuality.Cli;

/// <summary>Builds the pq command tree; commands are added by the files under Commands/.</summary>
internal static class PqApp
{
    /// <summary>The exit code of a command line that does not parse (an unknown flag, a missing required one).</summary>
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("pq: inspect feedback data, train, evaluate and version PatternQuality models.");
        root.Subcommands.Add(InspectCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrainCommand.Create(stdout, stderr));
        root.Subcommands.Add(ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(CvCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvaluateCommand.Create(stdout, stderr));
        root.Subcommands.Add(PredictCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExplainCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(VersionsCommand.Create(stdout, stderr));
        root.Subcommands.Add(PromoteCommand.Create(stdout, stderr));
        root.Subcommands.Add(RollbackCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReportCommand.Create(stdout, stderr));
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReplayCommand.Create(stdout, stderr));
        root.Subcommands.Add(ActiveLearnCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExperimentCommand.Create(stdout, stderr));
        // Bare 'pq' shows the commands rather than a "required command" error.
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            // Usage errors go to stderr only, so --json callers never see anything but JSON on stdout.
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine("error: " + error.Message);
            }

            var command = parsed.CommandResult.Command is RootCommand ? "pq" : "pq " + parsed.CommandResult.Command.Name;
            stderr.WriteLine($"Run '{command} --help' for usage.");
            return UsageError;
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return parsed.Invoke(config);
    }
}
