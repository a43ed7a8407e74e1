using PatternQuality.Online.Internal;

namespace PatternQuality.Online;

/// <summary>
/// ADWIN (adaptive windowing, Bifet and Gavaldà 2007): keeps the longest recent window whose mean shows no
/// statistically significant change, and raises an alarm when it has to drop an older part of the window.
/// </summary>
/// <remarks>
/// The window is summarized by an exponential histogram (buckets of 1, 2, 4, ... values, at most
/// <see cref="AdwinDetectorOptions.MaximumBucketsPerSize"/> of each size), so memory and check time grow with the
/// logarithm of the window length. Every <see cref="AdwinDetectorOptions.CheckInterval"/> values, each bucket boundary
/// is tested as a cut between an older and a newer part; when their means differ by more than the Hoeffding-Bernstein
/// bound at confidence <see cref="AdwinDetectorOptions.Delta"/>, the oldest bucket is dropped and the test repeats.
/// Not thread-safe.
/// </remarks>
public sealed class AdwinDetector : IDriftDetector
{
    private readonly AdwinDetectorOptions _options;
    private readonly ExponentialHistogram _histogram;
    private int _sinceCheck;

    /// <summary>Initializes a new detector.</summary>
    /// <param name="options">The settings, copied; <see langword="null"/> for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range; every such setting is listed.</exception>
    public AdwinDetector(AdwinDetectorOptions? options = null)
    {
        _options = options?.Clone() ?? new AdwinDetectorOptions();
        _options.Validate();
        _histogram = new ExponentialHistogram(_options.MaximumBucketsPerSize);
    }

    /// <inheritdoc />
    public string Name => "adwin";

    /// <inheritdoc />
    public bool DriftDetected { get; private set; }

    /// <inheritdoc />
    public long Count { get; private set; }

    /// <summary>Gets how many values the current window holds.</summary>
    public long Width => _histogram.Width;

    /// <summary>Gets the mean of the current window (0 when empty).</summary>
    public double Mean => _histogram.Width == 0 ? 0 : _histogram.Sum / _histogram.Width;

    /// <summary>Gets the variance of the values in the current window (0 when empty).</summary>
    public double Variance => _histogram.Width == 0 ? 0 : _histogram.SquaredDeviations / _histogram.Width;

    /// <inheritdoc />
    public bool Add(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A drift detector needs finite values.");
        }

        Count++;
        _histogram.Add(value);
        DriftDetected = false;
        if (++_sinceCheck < _options.CheckInterval)
        {
            return false;
        }

        _sinceCheck = 0;
        while (TryFindCut(out var newerIsHigher))
        {
            _histogram.RemoveOldest();
            if (newerIsHigher || _options.AlarmOnDecrease)
            {
                DriftDetected = true;
            }
        }

        return DriftDetected;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _histogram.Clear();
        _sinceCheck = 0;
        Count = 0;
        DriftDetected = false;
    }

    private bool TryFindCut(out bool newerIsHigher)
    {
        newerIsHigher = false;
        var width = _histogram.Width;
        var min = _options.MinimumSubwindowLength;
        if (width < 2 * min)
        {
            return false;
        }

        var variance = _histogram.SquaredDeviations / width;
        var sum = _histogram.Sum;

        // Union bound over the cuts tested: ln(W) of them on the exponential histogram's geometric grid.
        var logTerm = Math.Log(2 * Math.Log(width) / _options.Delta);
        long n0 = 0;
        double sum0 = 0;
        foreach (var (size, total) in _histogram.OldestFirst())
        {
            n0 += size;
            sum0 += total;
            var n1 = width - n0;
            if (n1 < min)
            {
                break;
            }

            if (n0 < min)
            {
                continue;
            }

            var mean0 = sum0 / n0;
            var mean1 = (sum - sum0) / n1;
            var m = (1.0 / n0) + (1.0 / n1);
            var epsilon = Math.Sqrt(2 * m * variance * logTerm) + (2.0 / 3.0 * m * logTerm);
            if (Math.Abs(mean1 - mean0) > epsilon)
            {
                newerIsHigher = mean1 > mean0;
                return true;
            }
        }

        return false;
    }
}
