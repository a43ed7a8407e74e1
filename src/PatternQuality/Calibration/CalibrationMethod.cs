namespace PatternQuality.Calibration;

/// <summary>How raw model probabilities are mapped to calibrated ones.</summary>
public enum CalibrationMethod
{
    /// <summary>No calibration: the model's probability is used as is.</summary>
    None = 0,

    /// <summary>Platt scaling: a sigmoid of the model's log-odds, fitted as scikit-learn's <c>method="sigmoid"</c>.</summary>
    Platt = 1,

    /// <summary>Isotonic regression (pool-adjacent-violators) of the label on the model's log-odds.</summary>
    Isotonic = 2,

    /// <summary>
    /// Chooses <see cref="None"/>, <see cref="Platt"/> or <see cref="Isotonic"/> by cross-fitted out-of-fold Brier score or
    /// log loss; isotonic is considered only with at least 1,000 rows, since it overfits small samples, and a calibrator
    /// whose cross-fitted ROC AUC is more than 0.002 below the uncalibrated one is never chosen.
    /// </summary>
    /// <remarks>
    /// Candidates are scored by cross-fitting on the out-of-fold predictions (fit on four fifths, score the rest), since
    /// scoring a calibrator on the rows it was fitted on would always favour isotonic regression.
    /// </remarks>
    Auto = 3,
}
