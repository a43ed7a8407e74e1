using PatternQuality.Evaluation;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    /// <summary>
    /// Stores a multiclass candidate and promotes it when its multiclass log loss on the holdout is not above the
    /// active version's on the same rows; otherwise keeps it as <see cref="ModelAliases.Challenger"/>. The same
    /// publishing path as <see cref="ProposeAsync"/> (one decision per champion across processes, recorded either way).
    /// </summary>
    /// <param name="candidate">The candidate's serialized model.</param>
    /// <param name="request">What the caller knows about the candidate.</param>
    /// <param name="holdout">The fresh holdout, able to score whichever version is champion at decision time.</param>
    /// <param name="force"><see langword="true"/> to promote even when the gate rejects the candidate or the champion cannot score the holdout.</param>
    /// <param name="cancellationToken">Cancels the proposal; a proposal cancelled before its decision is recorded removes the candidate again.</param>
    /// <returns>The stored candidate, the decision, and the champion it was judged against.</returns>
    /// <remarks>
    /// Log loss is the gate because it judges the whole predicted distribution, which is what a caller acting on
    /// class probabilities relies on; accuracy and macro-F1 are recorded on the version but do not decide. A champion
    /// that is a binary model, names other classes or cannot map the holdout's rows is not comparable: the candidate
    /// is not promoted unless forced.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="holdout"/> is null.</exception>
    public Task<ModelProposalResult> ProposeMulticlassAsync(
        ReadOnlyMemory<byte> candidate,
        ModelSaveRequest request,
        MulticlassPromotionHoldout holdout,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(holdout);
        return ProposeCoreAsync(candidate, request, (active, token) => JudgeMulticlassAsync(active, holdout, force, token), cancellationToken);
    }

    private async Task<Judgement> JudgeMulticlassAsync(string? champion, MulticlassPromotionHoldout holdout, bool force, CancellationToken cancellationToken)
    {
        var k = holdout.ClassNames.Count;
        var candidateLoss = holdout.Labels.IsEmpty ? double.NaN : MulticlassMetrics.LogLoss(holdout.Labels.Span, holdout.CandidateProbabilities.Span, k);
        if (champion is null)
        {
            return new Judgement(null, new PromotionDecision(true, F($"Promoted: no champion; the first candidate becomes the active version (holdout log loss {candidateLoss:F4}).")));
        }

        double championLoss;
        try
        {
            var stored = await _store.LoadAsync(champion, cancellationToken).ConfigureAwait(false);
            var scores = holdout.ScoreChampion(stored, cancellationToken);
            if (scores.Length != holdout.CandidateProbabilities.Length)
            {
                throw new PatternQualityException($"it returned {scores.Length} probabilities for {holdout.CandidateProbabilities.Length}");
            }

            championLoss = MulticlassMetrics.LogLoss(holdout.Labels.Span, scores.Span, k);
        }
        catch (PatternQualityException ex)
        {
            var why = ex.Message.TrimEnd('.');
            return new Judgement(champion, force
                ? new PromotionDecision(true, F($"Promoted by force: not comparable with the champion '{champion}': {why}."))
                : new PromotionDecision(false, F($"Rejected: not comparable with the champion '{champion}': {why}; activate it deliberately or propose it with force to promote it anyway.")));
        }

        var better = candidateLoss <= championLoss;
        var reason = better
            ? F($"Promoted: holdout log loss {candidateLoss:F4} is not above the champion's {championLoss:F4} on the same {holdout.Labels.Length} rows.")
            : F($"Rejected: holdout log loss {candidateLoss:F4} is above the champion's {championLoss:F4} on the same {holdout.Labels.Length} rows.");
        return new Judgement(champion, better || !force
            ? new PromotionDecision(better, reason)
            : new PromotionDecision(true, "Promoted by force, overriding the gate. " + reason));
    }
}
