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

    protected static float ToFloat(double? value) => value is { } v && double.IsFinite(v) ? (float)v : float.NaN;
}
