using PatternQuality.Data;

namespace PatternQuality.Learning;

/// <summary>
/// A trained binary model before calibration: maps a feature vector to a raw score and an (uncalibrated) probability.
/// Immutable and thread-safe.
/// </summary>
public interface IPredictor
{
    /// <summary>Gets the schema of the vectors the predictor reads.</summary>
    FeatureSchema Schema { get; }

    /// <summary>Scores one vector: the uncalibrated probability of the positive class.</summary>
    /// <param name="features">A vector laid out by <see cref="Schema"/>.</param>
    /// <returns>A probability in [0, 1].</returns>
    float PredictProbability(ReadOnlySpan<float> features);

    /// <summary>Scores many row-major vectors.</summary>
    /// <param name="features">Row-major vectors, <see cref="FeatureSchema.Count"/> floats each.</param>
    /// <param name="destination">Receives one probability per row.</param>
    void PredictProbability(ReadOnlySpan<float> features, Span<float> destination);
}
