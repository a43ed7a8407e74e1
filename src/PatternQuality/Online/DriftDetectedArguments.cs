namespace PatternQuality.Online;

/// <summary>Describes a drift alarm raised on the prequential loss.</summary>
/// <remarks>A struct so fields can be added later without breaking handlers.</remarks>
public readonly struct DriftDetectedArguments
{
    /// <summary>Initializes a new instance of the <see cref="DriftDetectedArguments"/> struct.</summary>
    /// <param name="detector">The name of the detector that raised the alarm.</param>
    /// <param name="observations">How many losses the detector had seen since its last reset when it raised the alarm.</param>
    /// <param name="metrics">The prequential metrics at the time of the alarm.</param>
    public DriftDetectedArguments(string detector, long observations, PrequentialMetrics metrics)
    {
        Detector = detector;
        Observations = observations;
        Metrics = metrics;
    }

    /// <summary>Gets the name of the detector that raised the alarm.</summary>
    public string Detector { get; }

    /// <summary>Gets how many losses the detector had seen since its last reset when it raised the alarm.</summary>
    public long Observations { get; }

    /// <summary>Gets the prequential metrics at the time of the alarm.</summary>
    public PrequentialMetrics Metrics { get; }
}
