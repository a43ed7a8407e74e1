using PatternQuality.Data;
using PatternQuality.Features.Internal;

namespace PatternQuality.Features;

/// <summary>
/// Declares, with strongly typed accessors, the features of a pattern type and builds a <see cref="FeatureExtractor{TPattern}"/>.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type (a class, record or dictionary).</typeparam>
/// <remarks>
/// Features are written in the order they are declared. Accessors are plain delegates, so no reflection runs at scoring
/// time. Categorical features either declare their categories or learn them with <see cref="Fit"/>.
/// <code>
/// var extractor = new FeatureExtractorBuilder&lt;Suggestion&gt;()
///     .Numeric("confidence", s =&gt; s.Confidence)
///     .Categorical("type", s =&gt; s.Type, ["time_of_day", "co_occurrence"])
///     .Timestamp("shown", s =&gt; s.ShownAt)
///     .History("user", s =&gt; s.UserId)
///     .Build();
/// </code>
/// </remarks>
public sealed class FeatureExtractorBuilder<TPattern>
{
    /// <summary>The default weight m of the prior in a history feature's smoothed rate.</summary>
    public const double DefaultHistorySmoothing = 5;

    private readonly List<Func<IReadOnlyList<TPattern>?, int, int, FeatureSlot<TPattern>>> _entries = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Func<IReadOnlyList<string>, FeatureSlot<TPattern>>> _restorable = new(StringComparer.Ordinal);

    /// <summary>Adds a numeric feature. <see langword="null"/>, NaN and infinities are written as missing.</summary>
    /// <param name="name">The feature name; unique within the extractor.</param>
    /// <param name="value">Reads the value from a pattern.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    public FeatureExtractorBuilder<TPattern> Numeric(string name, Func<TPattern, double?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(name, (_, _, _) => new NumericSlot<TPattern>(name, value));
    }

    /// <summary>Adds a boolean feature (1 or 0; <see langword="null"/> is missing).</summary>
    /// <param name="name">The feature name; unique within the extractor.</param>
    /// <param name="value">Reads the value from a pattern.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    public FeatureExtractorBuilder<TPattern> Boolean(string name, Func<TPattern, bool?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(name, (_, _, _) => new BooleanSlot<TPattern>(name, value));
    }

    /// <summary>Adds a categorical feature: a string mapped to a category index.</summary>
    /// <param name="name">The feature name; unique within the extractor.</param>
    /// <param name="value">Reads the value from a pattern; <see langword="null"/> is missing.</param>
    /// <param name="categories">
    /// The known categories, or <see langword="null"/> to learn them in <see cref="Fit"/>. A value outside them maps to
    /// the <see cref="FeatureDefinition.UnknownCategory"/> slot (index 0), never to an exception.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used, or a category is listed twice.</exception>
    public FeatureExtractorBuilder<TPattern> Categorical(string name, Func<TPattern, string?> value, IEnumerable<string>? categories = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (categories is not null)
        {
            // Validate now, so the error points at the declaration rather than at Build().
            var declared = new FeatureDefinition(name, FeatureKind.Categorical, categories).Categories;
            return Add(name, (_, _, _) => new CategoricalSlot<TPattern>(name, value, declared, null));
        }

        Add(name, (sample, minCount, maxCategories) => sample is null
            ? throw new InvalidOperationException(
                $"Categorical feature '{name}' declares no categories; declare them, call Fit(patterns) to learn them, or Build(schema) to take a stored model's.")
            : FitCategorical(name, value, sample, minCount, maxCategories));
        _restorable[name] = stored => new CategoricalSlot<TPattern>(name, value, stored, null);
        return this;
    }

    /// <summary>
    /// Adds a timestamp feature, expanded to <c>name.hour_sin</c>, <c>name.hour_cos</c> (hour of day on the unit
    /// circle), <c>name.day_of_week</c> (0 = Sunday) and <c>name.is_weekend</c>, in the time's own offset.
    /// </summary>
    /// <param name="name">The feature name prefix; unique within the extractor.</param>
    /// <param name="value">Reads the time from a pattern; <see langword="null"/> is missing.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    public FeatureExtractorBuilder<TPattern> Timestamp(string name, Func<TPattern, DateTimeOffset?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(name, (_, _, _) => new TimestampSlot<TPattern>(name, value));
    }

    /// <summary>
    /// Adds a history feature for a key (a user, a pattern type, any categorical value), expanded to <c>name.rate</c>,
    /// the smoothed approval rate of the key's earlier feedback, and <c>name.count</c>, its weighted count.
    /// </summary>
    /// <param name="name">The feature name prefix; unique within the extractor. Also the name its counts have in <see cref="HistoryState"/>.</param>
    /// <param name="key">Reads the key from a pattern; <see langword="null"/> writes missing values.</param>
    /// <param name="smoothing">The weight m of the prior (the global rate so far) in <c>(approved + prior * m) / (count + m)</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="smoothing"/> is negative or not finite.</exception>
    public FeatureExtractorBuilder<TPattern> History(string name, Func<TPattern, string?> key, double smoothing = DefaultHistorySmoothing)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!double.IsFinite(smoothing) || smoothing < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"History feature '{name}': smoothing must be a finite number >= 0.");
        }

        return Add(name, (_, _, _) => new HistorySlot<TPattern>(name, key, smoothing));
    }

    /// <summary>Builds the extractor. Every categorical feature must have declared categories.</summary>
    /// <returns>The extractor, with an empty <see cref="HistoryState"/>.</returns>
    /// <exception cref="InvalidOperationException">No feature was declared, or a categorical feature has no categories (use <see cref="Fit"/>).</exception>
    public FeatureExtractor<TPattern> Build() => Create(null, 1, int.MaxValue);

    /// <summary>Builds the extractor, learning the categories of categorical features declared without them from sample patterns.</summary>
    /// <param name="patterns">Sample patterns (usually the training set).</param>
    /// <param name="minCategoryCount">Values seen fewer times fold into <see cref="FeatureDefinition.OtherCategory"/>.</param>
    /// <param name="maxCategories">At most this many categories are kept per feature (the most frequent); the rest fold into <see cref="FeatureDefinition.OtherCategory"/>.</param>
    /// <returns>The extractor, with an empty <see cref="HistoryState"/>.</returns>
    /// <exception cref="ArgumentException">A pattern is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCategoryCount"/> or <paramref name="maxCategories"/> is below 1.</exception>
    public FeatureExtractor<TPattern> Fit(IEnumerable<TPattern> patterns, int minCategoryCount = 1, int maxCategories = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCategoryCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCategories, 1);
        var sample = patterns as IReadOnlyList<TPattern> ?? patterns.ToArray();
        for (var i = 0; i < sample.Count; i++)
        {
            if (sample[i] is null)
            {
                throw new ArgumentException($"Pattern {i} of the sample is null.", nameof(patterns));
            }
        }

        return Create(sample, minCategoryCount, maxCategories);
    }

    /// <summary>
    /// Rebuilds the extractor a stored model was trained with: categorical features declared without categories take
    /// the stored schema's, so a restarted host writes exactly the vectors the model learned from, whatever data it
    /// sees now.
    /// </summary>
    /// <param name="schema">The stored model's schema (<c>QualityModel.Info.Schema</c>).</param>
    /// <returns>The extractor, with an empty <see cref="HistoryState"/> (give it the model's with <see cref="FeatureExtractor{TPattern}.WithHistory"/>).</returns>
    /// <remarks>
    /// Values that <see cref="Fit"/> folded into <see cref="FeatureDefinition.OtherCategory"/> are not in the schema, so
    /// after a rebuild they map to <see cref="FeatureDefinition.UnknownCategory"/>; declare the categories, or fit without
    /// folding (the defaults), when that matters.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    /// <exception cref="SchemaMismatchException">The declared features do not lay out the stored schema (a feature added, removed, reordered, of another kind, or declared categories that differ); the message names each difference.</exception>
    /// <exception cref="InvalidOperationException">No feature was declared.</exception>
    public FeatureExtractor<TPattern> Build(FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (_entries.Count == 0)
        {
            throw new InvalidOperationException("The feature extractor declares no features.");
        }

        var slots = new FeatureSlot<TPattern>[_entries.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var name = _order[i];
            if (_restorable.TryGetValue(name, out var restore))
            {
                var j = schema.IndexOf(name);
                slots[i] = restore(j >= 0 && schema[j].Kind == FeatureKind.Categorical ? schema[j].Categories : []);
            }
            else
            {
                slots[i] = _entries[i](null, 1, int.MaxValue);
            }
        }

        var extractor = new FeatureExtractor<TPattern>(slots, new HistoryState());
        schema.EnsureCompatible(extractor.Schema);
        return extractor;
    }

    private FeatureExtractor<TPattern> Create(IReadOnlyList<TPattern>? sample, int minCount, int maxCategories)
    {
        if (_entries.Count == 0)
        {
            throw new InvalidOperationException("The feature extractor declares no features.");
        }

        var slots = new FeatureSlot<TPattern>[_entries.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = _entries[i](sample, minCount, maxCategories);
        }

        return new FeatureExtractor<TPattern>(slots, new HistoryState());
    }

    private static CategoricalSlot<TPattern> FitCategorical(
        string name, Func<TPattern, string?> value, IReadOnlyList<TPattern> sample, int minCount, int maxCategories)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sample.Count; i++)
        {
            var v = value(sample[i]);
            if (v is not null)
            {
                counts[v] = counts.GetValueOrDefault(v) + 1;
            }
        }

        var byFrequency = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var kept = new List<string>();
        var folded = new List<string>();
        foreach (var (v, c) in byFrequency)
        {
            if (c >= minCount && kept.Count < maxCategories && v != FeatureDefinition.UnknownCategory && v != FeatureDefinition.OtherCategory)
            {
                kept.Add(v);
            }
            else
            {
                folded.Add(v);
            }
        }

        // Ordinal order, so the same data always gives the same indexes (and the same schema hash).
        kept.Sort(StringComparer.Ordinal);
        if (folded.Count > 0)
        {
            kept.Add(FeatureDefinition.OtherCategory);
        }

        return new CategoricalSlot<TPattern>(name, value, kept, folded);
    }

    private FeatureExtractorBuilder<TPattern> Add(
        string name, Func<IReadOnlyList<TPattern>?, int, int, FeatureSlot<TPattern>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_names.Add(name))
        {
            throw new ArgumentException($"A feature named '{name}' is already declared.", nameof(name));
        }

        _entries.Add(create);
        _order.Add(name);
        return this;
    }
}
