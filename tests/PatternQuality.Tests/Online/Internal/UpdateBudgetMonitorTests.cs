using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PatternQuality.Online;
using PatternQuality.Online.Internal;
using PatternQuality.Telemetry;
using PatternQuality.Tests.Telemetry;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Online.Internal;

public sealed class UpdateBudgetMonitorTests : IDisposable
{
    private readonly MeterRecorder _recorder = new();
    private readonly FakeLogger _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public void Record_OverBudget_CountsLogsWarningAndRaisesEvent()
    {
        var sut = CreateSut(TimeSpan.FromMilliseconds(100));
        SlowUpdateArguments? raised = null;
        sut.SlowUpdate += (_, a) => raised = a;

        var slow = sut.Record(TimeSpan.FromMilliseconds(250), 40);

        Assert.True(slow);
        Assert.Equal(TimeSpan.FromMilliseconds(250), raised!.Value.Duration);
        Assert.Equal(40, raised.Value.BatchSize);
        Assert.Equal("online-logistic", raised.Value.Learner);
        Assert.Single(_recorder.Of("patternquality.update.slow"));
        Assert.Equal(250, Assert.Single(_recorder.Of("patternquality.update.duration")).Value);
        var log = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal(Log.EventIds.SlowUpdate, log.EventId.Id);
    }

    [Fact]
    public void Record_WithinBudget_OnlyRecordsDurationAndBatchSize()
    {
        var sut = CreateSut(TimeSpan.FromSeconds(1));
        var raised = false;
        sut.SlowUpdate += (_, _) => raised = true;

        Assert.False(sut.Record(TimeSpan.FromMilliseconds(999), 10));

        Assert.False(raised);
        Assert.Empty(_logger.Entries);
        Assert.Empty(_recorder.Of("patternquality.update.slow"));
        Assert.Single(_recorder.Of("patternquality.update.batch_size"));
    }

    [Fact]
    public void Record_InfiniteBudget_NeverSlow()
    {
        var sut = CreateSut(Timeout.InfiniteTimeSpan);

        Assert.False(sut.Record(TimeSpan.FromHours(5), 1));
    }

    [Fact]
    public void Record_FromStartTimestamp_MeasuresThroughTimeProvider()
    {
        var sut = CreateSut(TimeSpan.FromMinutes(1));
        var start = sut.Start();

        Assert.False(sut.Record(start, 5));

        Assert.Single(_recorder.Of("patternquality.update.duration"));
    }

    [Fact]
    public void Constructor_ZeroBudget_ThrowsNamingBudget()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CreateSut(TimeSpan.Zero));

        Assert.Equal("budget", ex.ParamName);
    }

    private UpdateBudgetMonitor CreateSut(TimeSpan budget)
        => new(budget, "online-logistic", _logger, PatternQualityMetrics.Create(_recorder.Factory), _time);
}
