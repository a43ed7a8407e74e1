using PatternQuality.Calibration.Internal;

namespace PatternQuality.Calibration;

/// <summary>
/// Maps a model's raw probability to a calibrated one: after calibration, of the patterns scored 0.8, about 80% are
/// approved. Immutable and thread-safe; saved with the model it belongs to.
/// </summary>
/// <remarks>
/// The closed set of calibrators is <see cref="IdentityCalibrator"/>, <see cref="PlattCalibrator"/> and
/// <see cref="IsotonicCalibrator"/>. Platt and isotonic work on the log-odds of the raw probability, which is what
/// scikit-learn's <c>CalibratedClassifierCV</c> feeds them for gradient-boosted and linear models (their
/// <c>decision_function</c>).
/// </remarks>
public abstract class Calibrator
{
    private const byte FormatVersion = 1;

    private protected Calibrator()
    {
    }

    /// <summary>Gets the method this calibrator implements (never <see cref="CalibrationMethod.Auto"/>).</summary>
    public abstract CalibrationMethod Method { get; }

    /// <summary>Calibrates one probability.</summary>
    /// <param name="probability">The model's raw probability in [0, 1].</param>
    /// <returns>The calibrated probability in [0, 1]; NaN in gives NaN out.</returns>
    public float Calibrate(float probability)
    {
        if (float.IsNaN(probability))
        {
            return float.NaN;
        }

        return (float)CalibrateLogit(LogOdds.FromProbability(probability));
    }

    /// <summary>Calibrates many probabilities.</summary>
    /// <param name="probabilities">The model's raw probabilities.</param>
    /// <param name="destination">Receives the calibrated probabilities; at least as long as <paramref name="probabilities"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void Calibrate(ReadOnlySpan<float> probabilities, Span<float> destination)
    {
        if (destination.Length < probabilities.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} values but {probabilities.Length} probabilities were given.", nameof(destination));
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            destination[i] = Calibrate(probabilities[i]);
        }
    }

    /// <summary>Reads a calibrator written by <see cref="WriteTo"/>.</summary>
    internal static Calibrator ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new PatternQualityException($"Calibrator format version {version} is not supported (this library reads version {FormatVersion}).");
        }

        var method = (CalibrationMethod)reader.ReadByte();
        return method switch
        {
            CalibrationMethod.None => IdentityCalibrator.Instance,
            CalibrationMethod.Platt => PlattCalibrator.ReadBody(reader),
            CalibrationMethod.Isotonic => IsotonicCalibrator.ReadBody(reader),
            _ => throw new PatternQualityException($"Calibrator method code {(int)method} is not known; the model file is corrupt or from a newer library."),
        };
    }

    /// <summary>Writes the calibrator: a format version byte, a method byte, then the method's parameters.</summary>
    internal void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(FormatVersion);
        writer.Write((byte)Method);
        WriteBody(writer);
    }

    /// <summary>Maps the model's log-odds to a calibrated probability.</summary>
    internal abstract double CalibrateLogit(double logit);

    private protected abstract void WriteBody(BinaryWriter writer);
}
