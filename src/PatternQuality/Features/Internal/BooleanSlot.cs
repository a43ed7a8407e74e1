using PatternQuality.Data;

namespace PatternQuality.Features.Internal;

internal sealed class BooleanSlot<TPattern>(string name, Func<TPattern, bool?> getter) : FeatureSlot<TPattern>(name)
{
    public override int Width => 1;

    public override void AddDefinitions(List<FeatureDefinition> definitions)
        => definitions.Add(new FeatureDefinition(Name, FeatureKind.Boolean));

    public override void Write(TPattern pattern, Span<float> destination, HistoryState history)
        => destination[0] = getter(pattern) switch
        {
            true => 1f,
            false => 0f,
            null => float.NaN,
        };

    public override string? Describe(TPattern pattern, ReadOnlySpan<float> written) => getter(pattern) switch
    {
        true => "true",
        false => "false",
        null => null,
    };
}
