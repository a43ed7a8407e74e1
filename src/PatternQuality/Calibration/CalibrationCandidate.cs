namespace PatternQuality.Calibration;

/// <summary>The evidence for one calibration method: how it scored on out-of-fold predictions it was not fitted on.</summary>
/// <param name="Method">The method.</param>
/// <param name="Score">The cross-fitted Brier score or log loss (see <see cref="CalibrationFitResult.Criterion"/>); lower is better.</param>
/// <param name="Auc">The cross-fitted ROC AUC after calibration.</param>
/// <param name="Eligible">Whether the method could be chosen (isotonic needs 1,000 rows; no method may cost more than 0.002 AUC).</param>
/// <param name="Note">Why the method was or was not eligible.</param>
public sealed record CalibrationCandidate(CalibrationMethod Method, double Score, double Auc, bool Eligible, string Note);
