using PatternQuality.Scoring;

namespace PatternQuality.Experiments;

/// <summary>
/// Ranks with the variant a unit is assigned to, and falls back to the control when the variant throws or runs past
/// its time budget (seed 004's try/except around the model), counting every fallback in the tracker.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>Thread-safe if the variant rankers are. A timed-out variant call keeps running in the background until it observes its cancellation token.</remarks>
public sealed class ExperimentRanker<TPattern>
{
    private readonly ExperimentAssigner _assigner;
    private readonly ExperimentTracker _tracker;
    private readonly IReadOnlyDictionary<string, IVariantRanker<TPattern>> _variants;
    private readonly TimeSpan _timeout;

    /// <summary>Initializes a new experiment ranker.</summary>
    /// <param name="assigner">Assigns units; must know the tracker's experiment.</param>
    /// <param name="tracker">Counts exposures and fallbacks.</param>
    /// <param name="variants">One ranker per variant name of the experiment.</param>
    /// <param name="timeout">The time budget of a non-control variant; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <exception cref="ArgumentException">A variant has no ranker, or the timeout is not positive.</exception>
    public ExperimentRanker(ExperimentAssigner assigner, ExperimentTracker tracker, IReadOnlyDictionary<string, IVariantRanker<TPattern>> variants, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(variants);
        assigner.Get(tracker.Experiment.Id);
        var missing = tracker.Experiment.Variants.Where(v => !variants.ContainsKey(v.Name)).Select(v => v.Name).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"No ranker for variant(s) {string.Join(", ", missing)} of experiment '{tracker.Experiment.Id}'.", nameof(variants));
        }

        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("The timeout must be positive, or Timeout.InfiniteTimeSpan.", nameof(timeout));
        }

        _assigner = assigner;
        _tracker = tracker;
        _variants = variants;
        _timeout = timeout;
    }

    /// <summary>Assigns the unit, ranks with its variant (or the control on failure) and records the impressions.</summary>
    /// <param name="unitId">The unit (user).</param>
    /// <param name="candidates">The candidates.</param>
    /// <param name="top">How many to return at most.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The assignment, the variant that actually ranked, and the ranking.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ExperimentRanking<TPattern>> RankAsync(string unitId, IReadOnlyList<TPattern> candidates, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var assignment = _assigner.Assign(_tracker.Experiment.Id, unitId);
        var control = _tracker.Experiment.ControlName;
        IReadOnlyList<ScoredPattern<TPattern>> ranked;
        var served = assignment.Variant;
        if (assignment.Variant == control)
        {
            ranked = _variants[control].Rank(candidates, top, cancellationToken);
        }
        else
        {
            try
            {
                ranked = await RunWithBudgetAsync(_variants[assignment.Variant], candidates, top, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _tracker.RecordFallback(assignment.Variant);
                served = control;
                ranked = _variants[control].Rank(candidates, top, cancellationToken);
            }
        }

        for (var i = 0; i < ranked.Count; i++)
        {
            _tracker.RecordImpression(assignment, unitId, i + 1);
        }

        return new ExperimentRanking<TPattern>(assignment, served, ranked);
    }

    private async Task<IReadOnlyList<ScoredPattern<TPattern>>> RunWithBudgetAsync(
        IVariantRanker<TPattern> ranker, IReadOnlyList<TPattern> candidates, int top, CancellationToken cancellationToken)
    {
        if (_timeout == Timeout.InfiniteTimeSpan)
        {
            return ranker.Rank(candidates, top, cancellationToken);
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_timeout);
        var work = Task.Run(() => ranker.Rank(candidates, top, budget.Token), budget.Token);
        var ranked = await work.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);

        // A ranker that sees its budget token fire may return early (with a partial or empty list) before WaitAsync's
        // own timer fires: the budget was spent all the same, so it is a timeout, not a ranking.
        if (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The variant's ranker did not finish within {_timeout.TotalMilliseconds:0} ms.");
        }

        return ranked;
    }
}
