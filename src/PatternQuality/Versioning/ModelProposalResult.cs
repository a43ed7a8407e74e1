using PatternQuality.Storage;

namespace PatternQuality.Versioning;

/// <summary>What <see cref="ModelVersionManager.ProposeAsync"/> did with a candidate.</summary>
/// <param name="Version">The candidate's stored metadata, with the decision recorded on it.</param>
/// <param name="Decision">The quality gate's decision and evidence.</param>
/// <param name="PreviousActiveVersion">The version that was active before the proposal, or <see langword="null"/> if none was.</param>
public sealed record ModelProposalResult(ModelMetadata Version, PromotionDecision Decision, string? PreviousActiveVersion)
{
    /// <summary>Gets a value indicating whether the candidate is now the active version.</summary>
    public bool Promoted => Decision.Promoted;
}
