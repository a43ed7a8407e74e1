using Microsoft.Extensions.Time.Testing;

namespace PatternQuality.Tests.TestUtils;

/// <summary>
/// A <see cref="FakeTimeProvider"/> whose clock moves only when told to, while its timers run on real time: for code
/// whose back-off must still complete on its own, such as the model store's lock retries.
/// </summary>
internal sealed class FakeClockWithRealTimers(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => System.CreateTimer(callback, state, dueTime, period);
}
