using PatternQuality.Storage;

namespace PatternQuality.Versioning;

/// <summary>What <see cref="ModelVersionManager.ProposeAsync"/> did with a candidate.</summary>
/// <param name="Version">The candidate's stored metadata, with the decision recorded on it.</param>
/// <param name="Decision">The quality gate's decision and evidence.</param>
/// <param name="PreviousActiveVersion">
/// The champion the candidate was compared with: the version active when the decision was recorded (and replaced by
/// the candidate if it was promoted), or <see langword="null"/> if none was active.
/// </param>
public sealed record ModelProposalResult(ModelMetadata Version, PromotionDecision Decision, string? PreviousActiveVersion)
{
    /// <summary>Gets a value indicating whether the candidate is now the active version.</summary>
    public bool Promoted => Decision.Promoted;
}
