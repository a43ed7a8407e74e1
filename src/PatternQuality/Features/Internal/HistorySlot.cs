using PatternQuality.Data;

namespace PatternQuality.Features.Internal;

/// <summary>
/// The smoothed approval rate and count of a key's earlier feedback, read from a <see cref="HistoryState"/>.
/// A missing key writes missing values; a key never seen writes the prior and a count of 0.
/// </summary>
internal sealed class HistorySlot<TPattern>(string name, Func<TPattern, string?> key, double smoothing) : FeatureSlot<TPattern>(name)
{
    public const string RateSuffix = ".rate";
    public const string CountSuffix = ".count";

    public override int Width => 2;

    public double Smoothing => smoothing;

    public string? GetKey(TPattern pattern) => key(pattern);

    public override void AddDefinitions(List<FeatureDefinition> definitions)
    {
        definitions.Add(new FeatureDefinition(Name + RateSuffix, FeatureKind.Numeric));
        definitions.Add(new FeatureDefinition(Name + CountSuffix, FeatureKind.Numeric));
    }

    public override void Write(TPattern pattern, Span<float> destination, HistoryState history)
    {
        if (key(pattern) is not { } k)
        {
            destination[0] = float.NaN;
            destination[1] = float.NaN;
            return;
        }

        history.GetRate(Name, k, smoothing, out var rate, out var count);
        destination[0] = (float)rate;
        destination[1] = (float)count;
    }

    /// <summary>The key and what the model read about it ("u42: 73% of 12 earlier").</summary>
    public override string? Describe(TPattern pattern, ReadOnlySpan<float> written)
    {
        if (key(pattern) is not { } k)
        {
            return null;
        }

        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return float.IsNaN(written[0])
            ? k
            : string.Create(culture, $"{k} ({written[0]:0%} of {written[1]:0} earlier)");
    }
}
