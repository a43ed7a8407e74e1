namespace PatternQuality.Online;

/// <summary>
/// The Page-Hinkley test for an increase in the mean of a stream: cheap (constant memory and time per value) and
/// well suited to a loss that gets worse when the world changes.
/// </summary>
/// <remarks>
/// Only increases raise an alarm: a loss that falls (the model got better) is not drift worth retraining for. After an
/// alarm the detector starts over from the next value, so one change raises one alarm. Not thread-safe.
/// </remarks>
public sealed class PageHinkleyDetector : IDriftDetector
{
    private readonly PageHinkleyDetectorOptions _options;
    private double _mean;
    private double _cumulative;
    private double _minimum;

    /// <summary>Initializes a new detector.</summary>
    /// <param name="options">The settings, copied; <see langword="null"/> for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range; every such setting is listed.</exception>
    public PageHinkleyDetector(PageHinkleyDetectorOptions? options = null)
    {
        _options = options?.Clone() ?? new PageHinkleyDetectorOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => "page-hinkley";

    /// <inheritdoc />
    public bool DriftDetected { get; private set; }

    /// <inheritdoc />
    public long Count { get; private set; }

    /// <summary>Gets the current test statistic: how far the cumulative deviation lies above its minimum.</summary>
    public double Statistic => _cumulative - _minimum;

    /// <inheritdoc />
    public bool Add(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A drift detector needs finite values.");
        }

        if (DriftDetected)
        {
            Restart();
        }

        Count++;
        _mean += (value - _mean) / Count;

        // Fade the minimum with the sum: fading the sum alone lets it wander back above a minimum set long ago and
        // raise false alarms on a stationary stream.
        _cumulative = (_options.Alpha * _cumulative) + (value - _mean - _options.Delta);
        _minimum = Math.Min(_options.Alpha * _minimum, _cumulative);
        DriftDetected = Count >= _options.MinimumInstances && _cumulative - _minimum > _options.Threshold;
        return DriftDetected;
    }

    /// <inheritdoc />
    public void Reset()
    {
        Restart();
        DriftDetected = false;
    }

    private void Restart()
    {
        Count = 0;
        _mean = 0;
        _cumulative = 0;
        _minimum = 0;
    }
}
