using PatternQuality.Storage;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    /// <summary>
    /// Stores a candidate, runs the quality gate against the active version on the same holdout, and either activates
    /// it (it becomes <see cref="ModelAliases.Champion"/>) or keeps it as <see cref="ModelAliases.Challenger"/>. The
    /// decision and its evidence are recorded on the candidate's metadata either way.
    /// </summary>
    /// <param name="candidate">The candidate's serialized model.</param>
    /// <param name="request">What the caller knows about the candidate; without a parent, the active version is recorded as parent.</param>
    /// <param name="holdoutLabels">The fresh holdout's labels, 0 or 1.</param>
    /// <param name="championScores">The active model's probabilities on the holdout; may be empty when no version is active.</param>
    /// <param name="candidateScores">The candidate's probabilities on the same rows.</param>
    /// <param name="cancellationToken">Cancels the proposal; if it is cancelled before the save, nothing is stored.</param>
    /// <returns>The stored candidate and the decision.</returns>
    /// <remarks>When no version is active, the candidate is promoted without comparison (reason "no champion").</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The holdout arrays are inconsistent (see <see cref="IPromotionPolicy.Decide"/>).</exception>
    public async Task<ModelProposalResult> ProposeAsync(
        ReadOnlyMemory<byte> candidate,
        ModelSaveRequest request,
        ReadOnlyMemory<float> holdoutLabels,
        ReadOnlyMemory<float> championScores,
        ReadOnlyMemory<float> candidateScores,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var active = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
            var decision = active is null
                ? NoChampionDecision(holdoutLabels, candidateScores)
                : _policy.Decide(holdoutLabels, championScores, candidateScores, cancellationToken)
                    ?? throw new InvalidOperationException($"The promotion policy {_policy.GetType().Name} returned no decision.");

            var saved = await SaveCoreAsync(
                candidate,
                request,
                b =>
                {
                    b.ParentVersion ??= active;
                    b.Promoted = decision.Promoted;
                    b.Decision = decision.Reason;
                    PromotionEvidence.AddTo(b.Properties, decision);
                    AddHoldoutMetrics(b.Metrics, decision);
                },
                cancellationToken).ConfigureAwait(false);

            if (decision.Promoted)
            {
                saved = await ActivateCoreAsync(saved.Version, decision.Reason, rollback: false, cancellationToken).ConfigureAwait(false);
                VersioningLog.CandidatePromoted(_logger, saved.Version, decision.Reason);
            }
            else
            {
                saved = await SetAliasCoreAsync(ModelAliases.Challenger, saved.Version, cancellationToken).ConfigureAwait(false);
                VersioningLog.CandidateRejected(_logger, saved.Version, decision.Reason);
            }

            await RetainIfConfiguredAsync(cancellationToken).ConfigureAwait(false);
            return new ModelProposalResult(saved, decision, active);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static PromotionDecision NoChampionDecision(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateScores)
    {
        const string Reason = "Promoted: no champion; the first candidate becomes the active version.";
        if (labels.IsEmpty)
        {
            return new PromotionDecision(true, Reason);
        }

        if (candidateScores.Length != labels.Length)
        {
            throw new ArgumentException($"candidateScores has {candidateScores.Length} entries but holdoutLabels has {labels.Length}; score the holdout rows with the candidate.", nameof(candidateScores));
        }

        // Record the candidate's own holdout numbers, so the first version has evidence to be compared with later.
        var (positives, negatives) = HoldoutValidation.Check(labels.Span, candidateScores.Span, candidateScores.Span);
        return new PromotionDecision(true, Reason)
        {
            Positives = positives,
            Negatives = negatives,
            CandidateBrier = Evaluation.BinaryMetrics.Brier(labels.Span, candidateScores.Span),
            CandidateEce = Evaluation.BinaryMetrics.ExpectedCalibrationError(labels.Span, candidateScores.Span),
        };
    }

    private static void AddHoldoutMetrics(Dictionary<string, double> metrics, PromotionDecision d)
    {
        if (!double.IsNaN(d.CandidateAuc))
        {
            metrics.TryAdd("holdout.auc", d.CandidateAuc);
        }

        if (!double.IsNaN(d.CandidateBrier))
        {
            metrics.TryAdd("holdout.brier", d.CandidateBrier);
        }

        if (!double.IsNaN(d.CandidateEce))
        {
            metrics.TryAdd("holdout.ece", d.CandidateEce);
        }
    }
}
