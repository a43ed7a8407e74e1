using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// A progress bar for long work, drawn on stderr only when stderr is an interactive terminal and the command is not
/// printing JSON: stdout stays clean for pipes and for <c>--json</c>.
/// </summary>
internal static class CliProgress
{
    public static bool IsInteractive(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Runs <paramref name="work"/>, which reports its completed fraction (0 to 1) through the progress it is given.</summary>
    public static async Task<T> RunAsync<T>(TextWriter stderr, bool json, string description, Func<IProgress<double>, Task<T>> work)
    {
        if (json || !IsInteractive(stderr))
        {
            return await work(new Sink(null)).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: 1);
                var result = await work(new Sink(task)).ConfigureAwait(false);
                task.Value = 1;
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>Sets the bar directly: <see cref="Progress{T}"/> would post to a synchronization context the tool does not have.</summary>
    private sealed class Sink(ProgressTask? task) : IProgress<double>
    {
        public void Report(double value)
        {
            if (task is not null)
            {
                task.Value = Math.Clamp(value, 0, 1);
            }
        }
    }
}
