namespace PatternQuality.Calibration;

/// <summary>The calibrator of <see cref="CalibrationMethod.None"/>: returns the model's probability unchanged.</summary>
public sealed class IdentityCalibrator : Calibrator
{
    private IdentityCalibrator()
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static IdentityCalibrator Instance { get; } = new();

    /// <inheritdoc />
    public override CalibrationMethod Method => CalibrationMethod.None;

    internal override double CalibrateLogit(double logit) => 1.0 / (1.0 + Math.Exp(-logit));

    private protected override void WriteBody(BinaryWriter writer)
    {
    }
}
