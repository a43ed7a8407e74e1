using PatternQuality.Versioning;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// Hands the version manager a decision the command already made (the default gate's, possibly overridden by
/// <c>--force</c>, or "not comparable"), so it is recorded on the version and applied exactly as a gate decision is.
/// </summary>
internal sealed class FixedDecisionPolicy(PromotionDecision decision) : IPromotionPolicy
{
    public PromotionDecision Decide(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> championScores, ReadOnlyMemory<float> candidateScores, CancellationToken cancellationToken = default)
        => decision;
}
