using System.CommandLine;
using PatternQuality.Cli.Commands;

namespace PatternQuality.Cli;

/// <summary>Builds the pq command tree; commands are added by the files under Commands/.</summary>
internal static class PqApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("pq: inspect feedback data, train, evaluate and version PatternQuality models.");
        root.Subcommands.Add(InspectCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReplayCommand.Create(stdout, stderr));
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return root.Parse(args).Invoke(config);
    }
}
