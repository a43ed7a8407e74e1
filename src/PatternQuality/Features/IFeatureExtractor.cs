using PatternQuality.Data;

namespace PatternQuality.Features;

/// <summary>
/// Turns a pattern (the suggestion a user approved or rejected) into a feature vector laid out by <see cref="Schema"/>.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// Implementations must be safe to call from many threads at once and must not allocate in <see cref="Extract"/>:
/// it runs on every scoring request.
/// </remarks>
public interface IFeatureExtractor<in TPattern>
{
    /// <summary>Gets the layout of the vectors this extractor writes.</summary>
    FeatureSchema Schema { get; }

    /// <summary>Writes the features of <paramref name="pattern"/> into <paramref name="destination"/>.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="destination">A span of exactly <see cref="FeatureSchema.Count"/> floats. Missing values are written as <see cref="float.NaN"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have <see cref="FeatureSchema.Count"/> elements.</exception>
    void Extract(TPattern pattern, Span<float> destination);
}
