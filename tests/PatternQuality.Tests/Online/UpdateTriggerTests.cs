using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PatternQuality.Online;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Online;

public class UpdateTriggerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void NotifyArrived_ReachesCountThreshold_IsDueByCount()
    {
        using var sut = CreateSut(count: 3);

        sut.NotifyArrived(2);
        Assert.False(sut.IsDue);
        sut.NotifyArrived();

        Assert.Equal(UpdateReason.Count, sut.Reason);
    }

    [Fact]
    public async Task WaitAsync_OldestRecordAges_CompletesWithAgeAfterMaximumAge()
    {
        using var sut = CreateSut(count: 100, age: TimeSpan.FromMinutes(5));
        sut.NotifyArrived();
        var wait = sut.WaitAsync();

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(UpdateReason.Age, await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Reason_NothingPending_NeverDueByAge()
    {
        using var sut = CreateSut(age: TimeSpan.FromMinutes(1));

        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(sut.IsDue);
    }

    [Fact]
    public async Task RequestUpdate_WhileWaiting_CompletesWithRequested()
    {
        using var sut = CreateSut();
        var wait = sut.WaitAsync();

        sut.RequestUpdate();

        Assert.Equal(UpdateReason.Requested, await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void NotifyConsumed_All_ClearsRequestCountAndAge()
    {
        using var sut = CreateSut(count: 2, age: TimeSpan.FromMinutes(1));
        sut.NotifyArrived(5);
        sut.RequestUpdate();
        _time.Advance(TimeSpan.FromMinutes(2));

        sut.NotifyConsumed(5);

        Assert.Equal(UpdateReason.None, sut.Reason);
        Assert.Equal(0, sut.PendingCount);
    }

    [Fact]
    public void NotifyConsumed_PartOfABacklog_StaysDue()
    {
        using var sut = CreateSut(count: 10);
        sut.NotifyArrived(25);

        sut.NotifyConsumed(10);

        Assert.Equal(UpdateReason.Count, sut.Reason);
        Assert.Equal(15, sut.PendingCount);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        using var sut = CreateSut();
        using var cts = new CancellationTokenSource();
        var wait = sut.WaitAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task Dispose_WhileWaiting_FailsTheWait()
    {
        var sut = CreateSut();
        var wait = sut.WaitAsync();

        sut.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait);
    }

    [Theory]
    [InlineData(nameof(UpdateTriggerOptions.CountThreshold))]
    [InlineData(nameof(UpdateTriggerOptions.MaximumAge))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOption(string option)
    {
        var options = option == nameof(UpdateTriggerOptions.CountThreshold)
            ? new UpdateTriggerOptions { CountThreshold = 0 }
            : new UpdateTriggerOptions { MaximumAge = TimeSpan.FromSeconds(-1) };

        var ex = Assert.Throws<OptionsValidationException>(() => new UpdateTrigger(options, _time));

        Assert.Single(ex.Failures);
        Assert.Contains($"The field UpdateTriggerOptions.{option} must be between", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InfiniteAge_TriggersOnCountOnly()
    {
        using var sut = CreateSut(count: 5, age: Timeout.InfiniteTimeSpan);
        sut.NotifyArrived();

        _time.Advance(TimeSpan.FromDays(365));

        Assert.False(sut.IsDue);
    }

    private UpdateTrigger CreateSut(int count = 1000, TimeSpan? age = null)
        => new(new UpdateTriggerOptions { CountThreshold = count, MaximumAge = age ?? TimeSpan.FromMinutes(15) }, _time);
}
