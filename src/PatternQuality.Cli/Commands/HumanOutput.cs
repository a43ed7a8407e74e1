using System.Globalization;
using PatternQuality.Evaluation;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>Tables and lines for people, written to stdout without colour codes so they read the same in a file.</summary>
internal static class HumanOutput
{
    public static IAnsiConsole Create(TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(stdout),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        return console;
    }

    public static string Format(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    public static void WriteMetrics(IAnsiConsole console, IReadOnlyDictionary<string, double> metrics)
    {
        var table = new Table();
        foreach (var key in JsonOutput.MetricKeys)
        {
            table.AddColumn(key);
        }

        table.AddRow(JsonOutput.MetricKeys.Select(k => metrics.TryGetValue(k, out var v) ? Format(v) : "n/a").ToArray());
        console.Write(table);
        if (metrics.ContainsKey(MetricNames.Ndcg(1)))
        {
            var ranking = new Table();
            foreach (var key in JsonOutput.RankingKeys)
            {
                ranking.AddColumn(key);
            }

            ranking.AddRow(JsonOutput.RankingKeys.Select(k => metrics.TryGetValue(k, out var v) ? Format(v) : "n/a").ToArray());
            console.Write(ranking);
        }
    }
}
