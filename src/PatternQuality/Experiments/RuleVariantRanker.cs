using PatternQuality.Scoring;

namespace PatternQuality.Experiments;

/// <summary>A host-supplied rule-based ranking (for example severity then confidence) as an experiment variant, typically the control.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="score">The rule's score of a candidate; higher ranks first, ties keep the input order.</param>
public sealed class RuleVariantRanker<TPattern>(Func<TPattern, float> score) : IVariantRanker<TPattern>
{
    private readonly Func<TPattern, float> _score = score ?? throw new ArgumentNullException(nameof(score));

    /// <inheritdoc />
    public IReadOnlyList<ScoredPattern<TPattern>> Rank(IReadOnlyList<TPattern> candidates, int top, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        return [.. candidates.Select((c, i) => (Item: new ScoredPattern<TPattern>(c, _score(c)), Index: i))
            .OrderByDescending(x => x.Item.Score).ThenBy(x => x.Index)
            .Take(top).Select(x => x.Item)];
    }
}
