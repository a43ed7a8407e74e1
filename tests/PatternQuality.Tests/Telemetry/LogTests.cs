using Microsoft.Extensions.Logging;
using PatternQuality.Telemetry;

namespace PatternQuality.Tests.Telemetry;

public class LogTests
{
    [Fact]
    public void SlowUpdate_Always_WarningWithStableEventIdAndStructuredValues()
    {
        var logger = new FakeLogger();

        Log.SlowUpdate(logger, "online-logistic", 1500, 200, 1000);

        var e = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, e.Level);
        Assert.Equal(600, e.EventId.Id);
        Assert.Equal("SlowUpdate", e.EventId.Name);
        Assert.Equal(200, e.Properties["BatchSize"]);
        Assert.Contains("1500.0 ms", e.Message);
    }

    [Fact]
    public void EventIds_All_AreDistinct()
    {
        var ids = typeof(Log.EventIds).GetFields().Select(f => (int)f.GetRawConstantValue()!).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Messages_All_HaveStableIdsAndLevels()
    {
        var logger = new FakeLogger();

        Log.UpdateFailed(logger, new InvalidOperationException("boom"), "l", 3);
        Log.ModelSwapped(logger, "l", "1", "2");
        Log.DriftDetected(logger, "adwin", "l", 42);
        Log.DuplicateFeedback(logger, 7);
        Log.FeedbackRejected(logger, 100);

        Assert.Equal(
            [(601, LogLevel.Error), (602, LogLevel.Information), (610, LogLevel.Warning), (620, LogLevel.Debug), (621, LogLevel.Warning)],
            logger.Entries.Select(e => (e.EventId.Id, e.Level)));
        Assert.IsType<InvalidOperationException>(logger.Entries[0].Exception);
    }
}
