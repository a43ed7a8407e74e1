namespace PatternQuality.Cli.Commands;

/// <summary>Turns expected failures into one line on stderr and exit code 1: users see the message, never a stack trace.</summary>
internal static class CommandErrors
{
    /// <summary>The exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    public static int Run(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            stderr.WriteLine("error: " + ex.Message);
            return 1;
        }
    }

    public static async Task<int> RunAsync(TextWriter stderr, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cancelled");
            return Cancelled;
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            stderr.WriteLine("error: " + ex.Message);
            return 1;
        }
    }

    private static bool IsExpected(Exception ex) =>
        ex is PatternQualityException or ArgumentException or IOException or UnauthorizedAccessException
            or InvalidOperationException or NotSupportedException or FormatException
            or Microsoft.Extensions.Options.OptionsValidationException;
}
