namespace PatternQuality.Calibration;

/// <summary>A fitted calibrator with the evidence for its choice.</summary>
public sealed class CalibrationFitResult
{
    internal CalibrationFitResult(
        Calibrator calibrator,
        CalibrationMethod requested,
        CalibrationCriterion criterion,
        IReadOnlyList<CalibrationCandidate> candidates,
        IReadOnlyList<float> outOfFold)
    {
        Calibrator = calibrator;
        Requested = requested;
        Criterion = criterion;
        Candidates = candidates;
        OutOfFoldProbabilities = outOfFold;
    }

    /// <summary>Gets the calibrator, fitted on all out-of-fold predictions; save it with the model.</summary>
    public Calibrator Calibrator { get; }

    /// <summary>Gets the method that was chosen (never <see cref="CalibrationMethod.Auto"/>).</summary>
    public CalibrationMethod Method => Calibrator.Method;

    /// <summary>Gets the method that was asked for.</summary>
    public CalibrationMethod Requested { get; }

    /// <summary>Gets the score the candidates were compared by.</summary>
    public CalibrationCriterion Criterion { get; }

    /// <summary>Gets the evidence per method considered, in the order None, Platt, Isotonic.</summary>
    public IReadOnlyList<CalibrationCandidate> Candidates { get; }

    /// <summary>Gets the uncalibrated out-of-fold probabilities the calibrator was fitted on, in dataset row order.</summary>
    public IReadOnlyList<float> OutOfFoldProbabilities { get; }
}
