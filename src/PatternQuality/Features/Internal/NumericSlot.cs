using PatternQuality.Data;

namespace PatternQuality.Features.Internal;

internal sealed class NumericSlot<TPattern>(string name, Func<TPattern, double?> getter) : FeatureSlot<TPattern>(name)
{
    public override int Width => 1;

    public override void AddDefinitions(List<FeatureDefinition> definitions)
        => definitions.Add(new FeatureDefinition(Name, FeatureKind.Numeric));

    // NaN and infinities are missing values, not numbers a learner should split on.
    public override void Write(TPattern pattern, Span<float> destination, HistoryState history)
        => destination[0] = ToFloat(getter(pattern));
}
