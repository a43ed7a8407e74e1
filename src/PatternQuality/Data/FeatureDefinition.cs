namespace PatternQuality.Data;

/// <summary>One named, typed column of a <see cref="FeatureSchema"/>.</summary>
public sealed class FeatureDefinition : IEquatable<FeatureDefinition>
{
    /// <summary>The label of category index 0, which every value unseen at fit time maps to.</summary>
    public const string UnknownCategory = "<unknown>";

    /// <summary>The label of the category that rare values fold into, when folding is enabled.</summary>
    public const string OtherCategory = "<other>";

    private static readonly string[] _noCategories = [];

    /// <summary>Initializes a new numeric or boolean feature.</summary>
    /// <param name="name">The feature name; unique within a schema.</param>
    /// <param name="kind">The kind of the feature.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="kind"/> is categorical (use the other constructor).</exception>
    public FeatureDefinition(string name, FeatureKind kind)
        : this(name, kind, null)
    {
    }

    /// <summary>Initializes a new feature, with the category labels of a categorical one.</summary>
    /// <param name="name">The feature name; unique within a schema.</param>
    /// <param name="kind">The kind of the feature.</param>
    /// <param name="categories">
    /// For <see cref="FeatureKind.Categorical"/>: the labels by index, starting with <see cref="UnknownCategory"/> at index 0
    /// (it is prepended when absent). Must be null or empty for other kinds.
    /// </param>
    /// <exception cref="ArgumentException">The name is empty, the kind is undefined, or categories do not fit the kind.</exception>
    public FeatureDefinition(string name, FeatureKind kind, IEnumerable<string>? categories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"Feature '{name}': kind {(int)kind} is not a defined FeatureKind.", nameof(kind));
        }

        Name = name;
        Kind = kind;
        if (kind == FeatureKind.Categorical)
        {
            var list = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (categories is not null)
            {
                foreach (var c in categories)
                {
                    ArgumentNullException.ThrowIfNull(c, nameof(categories));
                    if (!seen.Add(c))
                    {
                        throw new ArgumentException($"Feature '{name}': category '{c}' is listed twice.", nameof(categories));
                    }

                    list.Add(c);
                }
            }

            if (list.Count == 0 || list[0] != UnknownCategory)
            {
                if (seen.Contains(UnknownCategory))
                {
                    throw new ArgumentException($"Feature '{name}': '{UnknownCategory}' must be category 0.", nameof(categories));
                }

                list.Insert(0, UnknownCategory);
            }

            Categories = list.ToArray();
        }
        else
        {
            if (categories is not null && categories.Any())
            {
                throw new ArgumentException($"Feature '{name}': only categorical features have categories.", nameof(categories));
            }

            Categories = _noCategories;
        }
    }

    /// <summary>Gets the feature name.</summary>
    public string Name { get; }

    /// <summary>Gets the kind of the feature.</summary>
    public FeatureKind Kind { get; }

    /// <summary>Gets the category labels by index (categorical features only; empty otherwise). Index 0 is <see cref="UnknownCategory"/>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <inheritdoc />
    public bool Equals(FeatureDefinition? other)
        => other is not null
        && Name == other.Name
        && Kind == other.Kind
        && Categories.SequenceEqual(other.Categories, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FeatureDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Kind, Categories.Count);

    /// <inheritdoc />
    public override string ToString() => Kind == FeatureKind.Categorical
        ? $"{Name} ({Kind}, {Categories.Count} categories)"
        : $"{Name} ({Kind})";
}
