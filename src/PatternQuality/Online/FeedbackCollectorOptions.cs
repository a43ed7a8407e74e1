namespace PatternQuality.Online;

/// <summary>Settings of <see cref="FeedbackCollector{TPattern}"/>.</summary>
public class FeedbackCollectorOptions
{
    /// <summary>Gets or sets how many records the collector holds before writers must wait (backpressure).</summary>
    /// <value>The default value is 10,000. Allowed range: [1, 10,000,000].</value>
    /// <remarks>Must be at least <see cref="UpdateTriggerOptions.CountThreshold"/> of the trigger given with it, or a full collector could never trigger an update.</remarks>
    public int Capacity { get; set; } = 10_000;

    /// <summary>Gets or sets how many recent record ids are remembered to discard duplicates; 0 turns duplicate detection off.</summary>
    /// <value>The default value is 100,000. Allowed range: [0, 10,000,000].</value>
    /// <remarks>A duplicate older than this window is accepted again: memory stays bounded however long the stream runs.</remarks>
    public int DuplicateWindow { get; set; } = 100_000;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its allowed range.</exception>
    public void Validate()
    {
        if (Capacity is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "FeedbackCollectorOptions.Capacity must be in [1, 10,000,000].");
        }

        if (DuplicateWindow is < 0 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(DuplicateWindow), DuplicateWindow, "FeedbackCollectorOptions.DuplicateWindow must be in [0, 10,000,000].");
        }
    }

    internal FeedbackCollectorOptions Clone() => (FeedbackCollectorOptions)MemberwiseClone();
}
