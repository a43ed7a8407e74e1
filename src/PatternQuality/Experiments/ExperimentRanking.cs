using PatternQuality.Scoring;

namespace PatternQuality.Experiments;

/// <summary>What <see cref="ExperimentRanker{TPattern}.RankAsync"/> returns.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="Assignment">The unit's assignment (record feedback against it).</param>
/// <param name="ServedVariant">The variant that actually ranked: the control when the assigned variant failed.</param>
/// <param name="Ranked">The ranking, best first.</param>
public sealed record ExperimentRanking<TPattern>(ExperimentAssignment Assignment, string ServedVariant, IReadOnlyList<ScoredPattern<TPattern>> Ranked)
{
    /// <summary>Gets a value indicating whether the call fell back to the control.</summary>
    public bool FellBack => ServedVariant != Assignment.Variant;
}
