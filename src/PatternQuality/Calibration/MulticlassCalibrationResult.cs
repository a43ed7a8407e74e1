namespace PatternQuality.Calibration;

/// <summary>The outcome of a multiclass calibration fit: the calibrator and the evidence it was chosen on.</summary>
/// <param name="Calibrator">The fitted calibrator (on all out-of-fold scores).</param>
/// <param name="Candidates">Each candidate method's cross-fitted log loss on the out-of-fold scores.</param>
public sealed record MulticlassCalibrationResult(MulticlassCalibrator Calibrator, IReadOnlyDictionary<MulticlassCalibrationMethod, double> Candidates);
