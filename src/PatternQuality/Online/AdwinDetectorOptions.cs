namespace PatternQuality.Online;

/// <summary>Settings of <see cref="AdwinDetector"/>.</summary>
public class AdwinDetectorOptions
{
    /// <summary>Gets or sets the confidence parameter: the bound on the false-alarm probability of each check.</summary>
    /// <value>The default value is 0.002. Allowed range: (0, 1).</value>
    /// <remarks>Smaller values give fewer false alarms and a longer detection delay.</remarks>
    public double Delta { get; set; } = 0.002;

    /// <summary>Gets or sets how many buckets of each size the exponential histogram keeps before merging the two oldest.</summary>
    /// <value>The default value is 5. Allowed range: [2, 100].</value>
    /// <remarks>More buckets place the candidate cut points more finely, at the cost of memory and check time.</remarks>
    public int MaximumBucketsPerSize { get; set; } = 5;

    /// <summary>Gets or sets how many values are added between two checks for a change.</summary>
    /// <value>The default value is 32. Allowed range: [1, 1e6].</value>
    public int CheckInterval { get; set; } = 32;

    /// <summary>Gets or sets the fewest values each side of a cut must hold before the cut is tested.</summary>
    /// <value>The default value is 10. Allowed range: [1, 1e6].</value>
    public int MinimumSubwindowLength { get; set; } = 10;

    /// <summary>Gets or sets whether a fall in the mean also raises an alarm.</summary>
    /// <value>The default value is <see langword="false"/>: on a loss stream only a rise is drift worth acting on.</value>
    /// <remarks>The window shrinks on any change either way; this only decides whether a fall is reported.</remarks>
    public bool AlarmOnDecrease { get; set; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its allowed range.</exception>
    public void Validate()
    {
        if (!(Delta > 0 && Delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "AdwinDetectorOptions.Delta must be in (0, 1).");
        }

        if (MaximumBucketsPerSize is < 2 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumBucketsPerSize), MaximumBucketsPerSize, "AdwinDetectorOptions.MaximumBucketsPerSize must be in [2, 100].");
        }

        if (CheckInterval is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckInterval), CheckInterval, "AdwinDetectorOptions.CheckInterval must be in [1, 1e6].");
        }

        if (MinimumSubwindowLength is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSubwindowLength), MinimumSubwindowLength, "AdwinDetectorOptions.MinimumSubwindowLength must be in [1, 1e6].");
        }
    }

    internal AdwinDetectorOptions Clone() => (AdwinDetectorOptions)MemberwiseClone();
}
