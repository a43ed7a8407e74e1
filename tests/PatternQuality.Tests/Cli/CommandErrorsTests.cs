using PatternQuality.Cli.Commands;

namespace PatternQuality.Tests.Cli;

public class CommandErrorsTests
{
    [Fact]
    public async Task RunAsync_Cancelled_Returns130WithoutStackTrace()
    {
        using var stderr = new StringWriter();

        var code = await CommandErrors.RunAsync(stderr, () => throw new OperationCanceledException());

        Assert.Equal(CommandErrors.Cancelled, code);
        Assert.Equal("cancelled", stderr.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_ExpectedFailure_OneLineAndExitOne()
    {
        using var stderr = new StringWriter();

        var code = await CommandErrors.RunAsync(stderr, () => throw new PatternQualityException("the model store file 'x.pqm' is corrupted"));

        Assert.Equal(1, code);
        Assert.Equal("error: the model store file 'x.pqm' is corrupted", stderr.ToString().Trim());
    }
}
