using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

public class PqAppTests
{
    [Fact]
    public void Run_NoArguments_PrintsEveryCommand()
    {
        var (code, stdout, _) = Run();

        Assert.Equal(0, code);
        foreach (var command in new[] { "inspect", "train", "cv", "evaluate", "predict", "export", "versions", "promote", "rollback", "report", "demo", "serve" })
        {
            Assert.Contains(command, stdout);
        }
    }

    [Fact]
    public void Run_UnknownFlag_UsageErrorOnStderrOnly()
    {
        var (code, stdout, stderr) = Run("versions", "--store", "x", "--bogus", "--json");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--bogus", stderr);
        Assert.Contains("pq versions --help", stderr);
    }
}
