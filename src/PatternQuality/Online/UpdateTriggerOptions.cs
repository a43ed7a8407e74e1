namespace PatternQuality.Online;

/// <summary>Settings of <see cref="UpdateTrigger"/>: an update is due when enough feedback is waiting, or it has waited long enough.</summary>
public class UpdateTriggerOptions
{
    /// <summary>Gets or sets how many waiting records make an update due.</summary>
    /// <value>The default value is 1,000. Allowed range: [1, 10,000,000].</value>
    public int CountThreshold { get; set; } = 1_000;

    /// <summary>Gets or sets how long the oldest waiting record may wait before an update is due, however few records there are.</summary>
    /// <value>The default value is 15 minutes. Allowed range: 1 millisecond to 30 days, or <see cref="Timeout.InfiniteTimeSpan"/> to trigger on count and request only.</value>
    public TimeSpan MaximumAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its allowed range.</exception>
    public void Validate()
    {
        if (CountThreshold is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(CountThreshold), CountThreshold, "UpdateTriggerOptions.CountThreshold must be in [1, 10,000,000].");
        }

        if (MaximumAge != Timeout.InfiniteTimeSpan && (MaximumAge < TimeSpan.FromMilliseconds(1) || MaximumAge > TimeSpan.FromDays(30)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumAge), MaximumAge, "UpdateTriggerOptions.MaximumAge must be in [1 ms, 30 days] or Timeout.InfiniteTimeSpan.");
        }
    }

    internal UpdateTriggerOptions Clone() => (UpdateTriggerOptions)MemberwiseClone();
}
