namespace PatternQuality.Online;

/// <summary>Describes an incremental update that took longer than its configured budget.</summary>
/// <remarks>A struct so fields can be added later without breaking handlers.</remarks>
public readonly struct SlowUpdateArguments
{
    /// <summary>Initializes a new instance of the <see cref="SlowUpdateArguments"/> struct.</summary>
    /// <param name="learner">The name of the learner that ran the update.</param>
    /// <param name="duration">How long the update took.</param>
    /// <param name="budget">The configured budget it went over.</param>
    /// <param name="batchSize">How many records it learned from.</param>
    public SlowUpdateArguments(string learner, TimeSpan duration, TimeSpan budget, int batchSize)
    {
        Learner = learner;
        Duration = duration;
        Budget = budget;
        BatchSize = batchSize;
    }

    /// <summary>Gets the name of the learner that ran the update.</summary>
    public string Learner { get; }

    /// <summary>Gets how long the update took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets the configured budget the update went over.</summary>
    public TimeSpan Budget { get; }

    /// <summary>Gets how many records the update learned from.</summary>
    public int BatchSize { get; }
}
