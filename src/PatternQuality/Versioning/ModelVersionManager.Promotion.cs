using PatternQuality.Telemetry;
using System.Globalization;
using PatternQuality.Storage;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

public sealed partial class ModelVersionManager
{
    // Comparisons outside the store's lock before one is made inside it: contention costs a re-comparison, not a
    // long-held lock, and progress is still guaranteed.
    private const int MaxOptimisticComparisons = 3;

    /// <summary>
    /// Stores a candidate, judges it against the active version on the same holdout with the quality gate, and either
    /// activates it (it becomes <see cref="ModelAliases.Champion"/>) or keeps it as <see cref="ModelAliases.Challenger"/>.
    /// The decision and its evidence are recorded on the candidate's metadata either way. This is the one publishing
    /// path: the CLI's <c>pq train</c>, the training extension and hosts all come through here.
    /// </summary>
    /// <param name="candidate">The candidate's serialized model.</param>
    /// <param name="request">What the caller knows about the candidate; without a parent, the champion it was compared with is recorded as parent.</param>
    /// <param name="holdout">The fresh holdout, able to score whichever version is champion at decision time.</param>
    /// <param name="force">
    /// <see langword="true"/> to promote the candidate even when the gate rejects it or the champion cannot score the
    /// holdout; the gate still runs and the decision records that it was overridden.
    /// </param>
    /// <param name="cancellationToken">Cancels the proposal; a proposal cancelled (or failing) before its decision is recorded removes the candidate again.</param>
    /// <returns>What really happened: the stored candidate, the decision, and the champion it was judged against.</returns>
    /// <remarks>
    /// <para>
    /// The champion read, the comparison and the activation form one critical section across processes (the store's
    /// <see cref="IModelStore.UpdateAsync"/>): the candidate is compared outside the store's lock, and the decision is
    /// recorded only if the champion it was compared with is still active; otherwise it is compared again with the new
    /// champion (after three such races, inside the lock). So two processes proposing at once never both replace the
    /// same champion, and a model never replaces one it was not compared with.
    /// </para>
    /// <para>When no version is active the candidate is promoted without comparison. When the champion cannot score the
    /// holdout (a damaged file, another feature schema) the candidate is rejected as not comparable unless <paramref name="force"/> is set.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="holdout"/> is null.</exception>
    /// <exception cref="ArgumentException">The holdout arrays are inconsistent (see <see cref="IPromotionPolicy.Decide"/>).</exception>
    public async Task<ModelProposalResult> ProposeAsync(
        ReadOnlyMemory<byte> candidate,
        ModelSaveRequest request,
        PromotionHoldout holdout,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(holdout);
        CheckHoldout(holdout);
        return await ProposeCoreAsync(candidate, request, (active, token) => JudgeAsync(active, holdout, force, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one publishing path: store, judge with <paramref name="judge"/> (outside, then inside the store's lock), record, activate.</summary>
    private async Task<ModelProposalResult> ProposeCoreAsync(
        ReadOnlyMemory<byte> candidate,
        ModelSaveRequest request,
        Func<string?, CancellationToken, Task<Judgement>> judge,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var saved = await SaveCoreAsync(candidate, request, cancellationToken).ConfigureAwait(false);
            Judgement? judged = null;
            ModelMetadata? recorded = null;
            try
            {
                for (var attempt = 1; recorded is null; attempt++)
                {
                    var insideLock = attempt > MaxOptimisticComparisons;
                    if (!insideLock)
                    {
                        var active = await _store.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
                        judged = await judge(active, cancellationToken).ConfigureAwait(false);
                    }

                    await _store.UpdateAsync(
                        async (snapshot, token) =>
                        {
                            if (insideLock)
                            {
                                judged = await judge(snapshot.ActiveVersion, token).ConfigureAwait(false);
                            }
                            else if (snapshot.ActiveVersion != judged!.Champion)
                            {
                                // Another process changed the champion since the comparison: that decision is void.
                                return null;
                            }

                            var changes = new VersionChangeSet(snapshot);
                            recorded = RecordDecision(changes, saved.Version, request, judged!);
                            return changes.ToChange();
                        },
                        cancellationToken).ConfigureAwait(false);
                }
            }
            catch when (recorded is null)
            {
                // No decision was recorded: take the undecided candidate out again rather than leave it half-proposed.
                await TryDeleteAsync(saved.Version).ConfigureAwait(false);
                throw;
            }

            var decision = judged!.Decision;
            _metrics.RecordGateDecision(decision.Promoted);
            if (decision.Promoted)
            {
                Log.VersionActivated(_logger, recorded.Version, judged.Champion, decision.Reason);
                Log.CandidatePromoted(_logger, recorded.Version, decision.Reason);
            }
            else
            {
                Log.CandidateRejected(_logger, recorded.Version, decision.Reason);
            }

            await RetainIfConfiguredAsync(cancellationToken).ConfigureAwait(false);
            return new ModelProposalResult(recorded, decision, judged.Champion);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Takes and releases the store's write lock and reads its state, so that a held lock, a read-only directory or a
    /// damaged manifest is reported before long work (training) rather than after it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>A task that completes when the store has been checked.</returns>
    /// <remarks>Nothing is written. Another writer may still take the lock afterwards; its wait is bounded by the store's own lock timeout.</remarks>
    /// <exception cref="ModelStoreAccessException">The lock was not free in time, or the store cannot be written.</exception>
    /// <exception cref="ModelStoreCorruptedException">The store's manifest is damaged.</exception>
    public Task EnsureWritableAsync(CancellationToken cancellationToken = default) =>
        _store.UpdateAsync((_, _) => Task.FromResult<ModelStoreChange?>(null), cancellationToken);

    private static void CheckHoldout(PromotionHoldout holdout)
    {
        var labels = holdout.Labels;
        if (holdout.CandidateScores.Length != labels.Length)
        {
            throw new ArgumentException($"The holdout has {holdout.CandidateScores.Length} candidate scores but {labels.Length} labels; score the holdout rows with the candidate.", nameof(holdout));
        }

        if (!labels.IsEmpty)
        {
            try
            {
                _ = HoldoutValidation.Check(labels.Span, holdout.CandidateScores.Span, holdout.CandidateScores.Span);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException("The holdout is invalid: " + ex.Message, nameof(holdout), ex);
            }
        }
    }

    private async Task TryDeleteAsync(string version)
    {
        try
        {
            await _store.DeleteAsync(version, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PatternQualityException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Best effort: an undecided version left behind is inactive and unaliased, and retention removes it later.
        }
    }

    private static PromotionDecision NoChampionDecision(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateScores)
    {
        const string Reason = "Promoted: no champion; the first candidate becomes the active version.";
        if (labels.IsEmpty)
        {
            return new PromotionDecision(true, Reason);
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
            metrics["holdout.auc"] = d.CandidateAuc;
        }

        if (!double.IsNaN(d.CandidateBrier))
        {
            metrics["holdout.brier"] = d.CandidateBrier;
        }

        if (!double.IsNaN(d.CandidateEce))
        {
            metrics["holdout.ece"] = d.CandidateEce;
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Compares the candidate with <paramref name="champion"/> (the active version when this runs).</summary>
    private async Task<Judgement> JudgeAsync(string? champion, PromotionHoldout holdout, bool force, CancellationToken cancellationToken)
    {
        if (champion is null)
        {
            return new Judgement(null, NoChampionDecision(holdout.Labels, holdout.CandidateScores));
        }

        ReadOnlyMemory<float> championScores;
        try
        {
            var stored = await _store.LoadAsync(champion, cancellationToken).ConfigureAwait(false);
            championScores = holdout.ScoreChampion(stored, cancellationToken);
        }
        catch (PatternQualityException ex)
        {
            // A damaged champion, or one that reads other features, cannot be compared with: nothing says the
            // candidate is better, so only a deliberate override promotes it.
            var why = ex.Message.TrimEnd('.');
            return new Judgement(champion, force
                ? new PromotionDecision(true, F($"Promoted by force: not comparable with the champion '{champion}': {why}."))
                : new PromotionDecision(false, F($"Rejected: not comparable with the champion '{champion}': {why}; activate it deliberately or propose it with force to promote it anyway.")));
        }

        var decision = _policy.Decide(new PromotionArguments(holdout.Labels, championScores, holdout.CandidateScores, champion, cancellationToken))
            ?? throw new InvalidOperationException($"The promotion policy {_policy.GetType().Name} returned no decision.");
        if (force && !decision.Promoted)
        {
            decision = decision with { Promoted = true, Reason = "Promoted by force, overriding the gate. " + decision.Reason };
        }

        return new Judgement(champion, decision);
    }

    /// <summary>Records the decision on the candidate and, if promoted, activates it, in one change of the store.</summary>
    private ModelMetadata RecordDecision(VersionChangeSet changes, string candidate, ModelSaveRequest request, Judgement judged)
    {
        var decision = judged.Decision;
        var current = changes.Get(candidate);
        var properties = new Dictionary<string, string>(current.Properties, StringComparer.Ordinal);
        PromotionEvidence.AddTo(properties, decision);
        if (judged.Champion is not null)
        {
            properties[ModelPropertyNames.PromotionChampion] = judged.Champion;
        }

        var metrics = new Dictionary<string, double>(current.Metrics, StringComparer.Ordinal);
        AddHoldoutMetrics(metrics, decision);
        changes.Set(current with
        {
            ParentVersion = request.ParentVersion ?? judged.Champion,
            Promoted = decision.Promoted,
            Decision = decision.Reason,
            Properties = properties,
            Metrics = metrics,
        });
        return decision.Promoted
            ? ApplyActivation(changes, candidate, decision.Reason, rollback: false)
            : changes.MoveAlias(ModelAliases.Challenger, candidate);
    }

    /// <summary>The champion a candidate was judged against (null: none was active) and the decision.</summary>
    private sealed record Judgement(string? Champion, PromotionDecision Decision);
}
