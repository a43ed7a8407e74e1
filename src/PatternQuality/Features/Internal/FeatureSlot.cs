using PatternQuality.Data;

namespace PatternQuality.Features.Internal;

/// <summary>
/// One declared feature of a <see cref="FeatureExtractor{TPattern}"/>: it writes <see cref="Width"/> consecutive
/// floats. Slots are immutable after the extractor is built, so extraction is thread-safe without locks
/// (history slots read a <see cref="HistoryState"/>, which locks itself).
/// </summary>
internal abstract class FeatureSlot<TPattern>
{
    protected FeatureSlot(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public abstract int Width { get; }

    public abstract void AddDefinitions(List<FeatureDefinition> definitions);

    public abstract void Write(TPattern pattern, Span<float> destination, HistoryState history);

    /// <summary>
    /// Describes the pattern's value of this feature as the user gave it (a category as written, a number, a time of
    /// day), for explanations; <see langword="null"/> when the value is missing. Called only for the few features an
    /// explanation names, so it may allocate.
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="written">The values <see cref="Write"/> wrote for it.</param>
    public virtual string? Describe(TPattern pattern, ReadOnlySpan<float> written)
        => float.IsNaN(written[0]) ? null : written[0].ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    protected static float ToFloat(double? value) => value is { } v && double.IsFinite(v) ? (float)v : float.NaN;
}
