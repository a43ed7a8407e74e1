namespace PatternQuality.ActiveLearning;

/// <summary>The built-in query strategies by name, as <c>pq active-learn --strategy</c> spells them.</summary>
public static class QueryStrategies
{
    /// <summary>Gets the names of the built-in strategies, the baseline first.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["random", "least-confident", "margin", "entropy", "committee", "density", "diverse", "balanced", "hedged"];

    /// <summary>Creates a built-in strategy with its default settings.</summary>
    /// <param name="name">One of <see cref="Names"/> (case-insensitive).</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> names no built-in strategy.</exception>
    public static IQueryStrategy Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "random" => new RandomQueryStrategy(),
            "least-confident" => new UncertaintyQueryStrategy(UncertaintyMeasure.LeastConfident),
            "margin" => new UncertaintyQueryStrategy(UncertaintyMeasure.Margin),
            "entropy" => new UncertaintyQueryStrategy(UncertaintyMeasure.Entropy),
            "committee" => new CommitteeQueryStrategy(),
            "density" => new DensityWeightedQueryStrategy(),
            "diverse" => new DiverseBatchQueryStrategy(),
            "balanced" => new BalancedQueryStrategy(),
            "hedged" => new HedgedQueryStrategy(),
            _ => throw new ArgumentException(
                $"Unknown query strategy '{name}'. Known strategies: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
