using PatternQuality.Data;

namespace PatternQuality.Scoring;

/// <summary>
/// A trained quality model: the calibrated probability that a user approves a pattern, from its feature vector.
/// </summary>
/// <remarks>
/// Thread-safe by contract: a model is immutable once built, so any number of request threads may score with it
/// while a background update builds its successor. A new model is published by swapping the reference (see
/// <see cref="QualityModelHolder"/>), never by changing a model in place.
/// </remarks>
public interface IQualityModel
{
    /// <summary>Gets what the model is: its schema, version, trainer and metrics.</summary>
    ModelInfo Info { get; }

    /// <summary>Scores one feature vector.</summary>
    /// <param name="features">A vector laid out by <see cref="ModelInfo.Schema"/>; missing values as <see cref="float.NaN"/>.</param>
    /// <returns>The calibrated probability of approval, in [0, 1].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the schema's feature count.</exception>
    /// <exception cref="NotSupportedException">The model is a <see cref="MulticlassQualityModel"/> (class probabilities, no approval score).</exception>
    float Score(ReadOnlySpan<float> features);

    /// <summary>Scores many feature vectors stored row after row.</summary>
    /// <param name="features">Row-major vectors, <see cref="FeatureSchema.Count"/> floats each.</param>
    /// <param name="destination">Receives one probability per row.</param>
    /// <exception cref="ArgumentException">The lengths do not agree with the schema and each other.</exception>
    /// <exception cref="NotSupportedException">The model is a <see cref="MulticlassQualityModel"/>.</exception>
    void Score(ReadOnlySpan<float> features, Span<float> destination);
}
