namespace PatternQuality.Calibration;

/// <summary>How a <see cref="MulticlassCalibrator"/> rescales a multiclass model's raw (softmax input) scores.</summary>
public enum MulticlassCalibrationMethod
{
    /// <summary>No change: probabilities are the model's softmax.</summary>
    None = 0,

    /// <summary>Temperature scaling: every raw score divided by one fitted temperature (Guo et al. 2017). Keeps the ranking of classes.</summary>
    Temperature = 1,

    /// <summary>Vector scaling: a fitted scale and offset per class (Guo et al. 2017); can correct per-class bias.</summary>
    Vector = 2,

    /// <summary>Choose among none, temperature and vector scaling by cross-fitted log loss on the out-of-fold scores.</summary>
    Auto = 3,
}
