namespace PatternQuality.Calibration;

/// <summary>The score <see cref="CalibrationMethod.Auto"/> minimises when it picks a calibrator.</summary>
public enum CalibrationCriterion
{
    /// <summary>The Brier score (mean squared error of the probability).</summary>
    Brier = 0,

    /// <summary>The log loss.</summary>
    LogLoss = 1,
}
