
namespace PatternQuality.Cli.Commands;

/// <summary>Turns expected failures into one line on stderr and exit code 1: users see the message, never a stack trace.</summary>
internal static class CommandErrors
{
    public static int Run(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is PatternQualityException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            stderr.WriteLine("error: " + ex.Message);
            return 1;
        }
    }
}
