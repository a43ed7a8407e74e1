using PatternQuality.Versioning;

namespace PatternQuality.Training;

/// <summary>Puts a freshly trained model through the quality gate in one call.</summary>
public static class ModelVersionManagerTrainingExtensions
{
    /// <summary>
    /// Stores <paramref name="result"/>'s model as a candidate and promotes it only if it beats the active model on the
    /// candidate's own holdout (<see cref="TrainingResult.CreateHoldout"/>), scored by both models.
    /// </summary>
    /// <param name="versions">The version manager.</param>
    /// <param name="result">The training result.</param>
    /// <param name="request">What to record with the version, or <see langword="null"/> for <see cref="TrainingResult.CreateSaveRequest"/>.</param>
    /// <param name="force"><see langword="true"/> to promote even when the gate rejects the candidate or the champion cannot score the holdout.</param>
    /// <param name="cancellationToken">Cancels the proposal.</param>
    /// <returns>The stored candidate, the gate's decision and the champion it was judged against.</returns>
    /// <remarks>
    /// This is <see cref="ModelVersionManager.ProposeAsync"/> with the holdout and request built from the result; see
    /// there for how the decision stays correct when several processes propose at once. When no version is active the
    /// candidate is promoted. When the active version cannot score the holdout (its file is damaged, or it reads
    /// another feature schema), the candidate is stored as <see cref="ModelAliases.Challenger"/>, not promoted, and
    /// the decision says why.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="versions"/> or <paramref name="result"/> is null.</exception>
    public static Task<ModelProposalResult> ProposeAsync(
        this ModelVersionManager versions, TrainingResult result, ModelSaveRequest? request = null, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(result);
        return versions.ProposeAsync(result.Model.ToBytes(), request ?? result.CreateSaveRequest(), result.CreateHoldout(), force, cancellationToken);
    }

    /// <summary>
    /// Stores a multiclass model as a candidate and promotes it only if its multiclass log loss on the candidate's own
    /// holdout is not above the active model's on the same rows (see <see cref="ModelVersionManager.ProposeMulticlassAsync"/>).
    /// </summary>
    /// <param name="versions">The version manager.</param>
    /// <param name="result">The multiclass training result.</param>
    /// <param name="request">What to record with the version, or <see langword="null"/> for <see cref="MulticlassTrainingResult.CreateSaveRequest"/>.</param>
    /// <param name="force"><see langword="true"/> to promote even when the gate rejects the candidate or the champion is not comparable.</param>
    /// <param name="cancellationToken">Cancels the proposal.</param>
    /// <returns>The stored candidate, the gate's decision and the champion it was judged against.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="versions"/> or <paramref name="result"/> is null.</exception>
    public static Task<ModelProposalResult> ProposeAsync(
        this ModelVersionManager versions, MulticlassTrainingResult result, ModelSaveRequest? request = null, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(result);
        return versions.ProposeMulticlassAsync(result.Model.ToBytes(), request ?? result.CreateSaveRequest(), new Internal.MulticlassTrainingHoldout(result), force, cancellationToken);
    }
}
