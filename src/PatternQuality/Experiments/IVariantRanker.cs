using PatternQuality.Scoring;

namespace PatternQuality.Experiments;

/// <summary>How one experiment variant orders candidates: a model (<see cref="ModelVariantRanker{TPattern}"/>) or the host's rules (<see cref="RuleVariantRanker{TPattern}"/>).</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
public interface IVariantRanker<TPattern>
{
    /// <summary>Returns the best candidates, best first.</summary>
    /// <param name="candidates">The candidates.</param>
    /// <param name="top">How many to return at most.</param>
    /// <param name="cancellationToken">Cancelled when the experiment's time budget runs out.</param>
    /// <returns>Up to <paramref name="top"/> candidates with their scores.</returns>
    IReadOnlyList<ScoredPattern<TPattern>> Rank(IReadOnlyList<TPattern> candidates, int top, CancellationToken cancellationToken);
}
