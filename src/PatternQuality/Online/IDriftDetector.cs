namespace PatternQuality.Online;

/// <summary>
/// Watches a stream of values (typically each record's prequential log loss) and raises an alarm when its mean
/// has changed.
/// </summary>
/// <remarks>Implementations are not thread-safe: feed a detector from one thread, or lock around it.</remarks>
public interface IDriftDetector
{
    /// <summary>Gets a short name for logs and metric tags (for example <c>page-hinkley</c>).</summary>
    string Name { get; }

    /// <summary>Gets whether the most recent <see cref="Add"/> raised an alarm.</summary>
    bool DriftDetected { get; }

    /// <summary>Gets how many values have been added since the detector was created or last reset.</summary>
    long Count { get; }

    /// <summary>Adds the next value of the stream.</summary>
    /// <param name="value">The value; must be finite.</param>
    /// <returns><see langword="true"/> when this value raised a drift alarm.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    bool Add(double value);

    /// <summary>Forgets everything seen so far (for example after the model has been retrained).</summary>
    void Reset();
}
