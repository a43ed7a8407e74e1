using System.Globalization;
using System.Text;
using System.Text.Json;
using PatternQuality.Cli;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Cli;

public class ReplayCommandTests
{
    [Fact]
    public void Replay_DriftingFile_PrintsTheThreeContendersAndUpdateTimes()
    {
        using var file = new TempFile(DriftingCsv(3000));

        var (code, stdout, stderr) = Run("replay", "--data", file.Path, "--label", "y", "--time", "t", "--drop", "t", "--history-key", "user", "--batch", "100", "--retrain-every", "500", "--serve-always", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(9, root.GetProperty("batches").GetInt32());
        Assert.Equal(9, root.GetProperty("served_updated_batches").GetInt32()); // --serve-always: no serving test
        foreach (var contender in new[] { "static", "incremental", "retrain" })
        {
            Assert.InRange(root.GetProperty(contender).GetProperty("auc").GetDouble(), 0, 1);
            Assert.True(root.GetProperty(contender).GetProperty("logloss").GetDouble() > 0);
        }

        var ms = root.GetProperty("update_ms");
        Assert.True(ms.GetProperty("p50").GetDouble() <= ms.GetProperty("p95").GetDouble());
        Assert.True(ms.GetProperty("p95").GetDouble() <= ms.GetProperty("max").GetDouble());

        // The concept moves in the streamed part: learning from it must beat never learning.
        Assert.True(root.GetProperty("incremental").GetProperty("auc").GetDouble() > root.GetProperty("static").GetProperty("auc").GetDouble());
    }

    [Fact]
    public void Replay_HumanOutput_PrintsATable()
    {
        using var file = new TempFile(DriftingCsv(1500));

        var (code, stdout, _) = Run("replay", "--data", file.Path, "--label", "y", "--initial-fraction", "0.6", "--batch", "200");

        Assert.Equal(0, code);
        Assert.Contains("incremental", stdout, StringComparison.Ordinal);
        Assert.Contains("update ms", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--initial-fraction", "1", "InitialFraction")]
    [InlineData("--batch", "0", "BatchSize")]
    [InlineData("--retrain-every", "0", "RetrainEvery")]
    [InlineData("--guard", "2", "GuardFraction")]
    public void Replay_OutOfRangeSetting_FailsNamingIt(string option, string value, string named)
    {
        using var file = new TempFile(DriftingCsv(300));

        var (code, _, stderr) = Run("replay", "--data", file.Path, "--label", "y", option, value);

        Assert.Equal(1, code);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_NoLabel_FailsWithAMessage()
    {
        using var file = new TempFile(DriftingCsv(300));

        var (code, _, stderr) = Run("replay", "--data", file.Path);

        Assert.Equal(1, code);
        Assert.Contains("--label", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = PqApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Rows in time order whose approval rule tilts from x1 to x2 over the file.</summary>
    private static string DriftingCsv(int rows)
    {
        var random = new Random(17);
        var text = new StringBuilder("t,x1,x2,kind,user,y\n");
        for (var i = 0; i < rows; i++)
        {
            var x1 = random.NextDouble();
            var x2 = random.NextDouble();
            var share = (double)i / rows;
            var z = (4 * (1 - share) * (x1 - 0.5)) + (4 * share * (x2 - 0.5));
            var y = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{1_600_000_000 + (i * 60)},{x1:F4},{x2:F4},k{random.Next(3)},u{random.Next(30)},{y}\n");
        }

        return text.ToString();
    }
}
