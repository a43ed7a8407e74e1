using PatternQuality.Data;

namespace PatternQuality.Features.Internal;

/// <summary>
/// Maps a string to its category index. Values unseen when the categories were fixed map to index 0
/// (<see cref="FeatureDefinition.UnknownCategory"/>); values folded as rare map to <see cref="FeatureDefinition.OtherCategory"/>.
/// </summary>
internal sealed class CategoricalSlot<TPattern> : FeatureSlot<TPattern>
{
    private readonly Func<TPattern, string?> _getter;
    private readonly Dictionary<string, int> _index;
    private readonly string[] _categories;

    public CategoricalSlot(string name, Func<TPattern, string?> getter, IReadOnlyList<string> categories, IEnumerable<string>? foldedToOther)
        : base(name)
    {
        _getter = getter;
        var definition = new FeatureDefinition(name, FeatureKind.Categorical, categories);
        _categories = [.. definition.Categories];
        _index = new Dictionary<string, int>(_categories.Length, StringComparer.Ordinal);
        for (var i = 1; i < _categories.Length; i++)
        {
            _index[_categories[i]] = i;
        }

        if (foldedToOther is not null)
        {
            var other = Array.IndexOf(_categories, FeatureDefinition.OtherCategory);
            foreach (var value in foldedToOther)
            {
                _index.TryAdd(value, other);
            }
        }
    }

    public override int Width => 1;

    public IReadOnlyList<string> Categories => _categories;

    public override void AddDefinitions(List<FeatureDefinition> definitions)
        => definitions.Add(new FeatureDefinition(Name, FeatureKind.Categorical, _categories));

    public override void Write(TPattern pattern, Span<float> destination, HistoryState history)
    {
        var value = _getter(pattern);
        destination[0] = value is null ? float.NaN : _index.TryGetValue(value, out var i) ? i : 0f;
    }

    /// <summary>The category as the pattern gave it (also when it was unseen or folded into another category).</summary>
    public override string? Describe(TPattern pattern, ReadOnlySpan<float> written) => _getter(pattern);
}
