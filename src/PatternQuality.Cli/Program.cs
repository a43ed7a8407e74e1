namespace PatternQuality.Cli;

internal static class Program
{
    public static int Main(string[] args) => PqApp.Run(args, Console.Out, Console.Error);
}
