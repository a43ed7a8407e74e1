namespace PatternQuality.Feedback;

/// <summary>
/// A durable log of served predictions that feedback closes: what was served (pattern id, model version, score,
/// decision, time), and whether the decision was right once the pattern's feedback arrives (<c>was_correct</c>).
/// </summary>
/// <remarks>
/// <para>
/// What every implementation promises (the prediction log contract tests check each one): a batch of
/// <see cref="AppendAsync"/> is stored whole or not at all; <see cref="ResolveAsync"/> sets
/// <see cref="PredictionRecord.WasCorrect"/> on every unresolved prediction of the pattern (served decision equal to the
/// outcome) and never changes a resolved one, so a repeated verdict is harmless; an outcome for a pattern never served
/// resolves nothing; <see cref="ReadAsync"/> returns a pattern's predictions oldest first. Implementations are
/// thread-safe and may be shared by several processes.
/// </para>
/// <para>
/// Scoring must never wait for this log: hosts write through <see cref="PredictionRecorder"/>, which batches in the
/// background and drops (and counts) predictions when the log falls behind. Implementations: <see cref="InMemoryPredictionLog"/>,
/// and the SQLite and PostgreSQL logs of their own packages.
/// </para>
/// </remarks>
public interface IPredictionLog
{
    /// <summary>Stores a batch of served predictions.</summary>
    /// <param name="predictions">The predictions; their <see cref="PredictionRecord.WasCorrect"/> is ignored (they start unresolved).</param>
    /// <param name="cancellationToken">Cancels the write before it is committed.</param>
    /// <returns>A task that completes once the batch is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predictions"/> is null.</exception>
    /// <exception cref="ArgumentException">A prediction is null; nothing is stored.</exception>
    Task AppendAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken = default);

    /// <summary>Closes the unresolved predictions of each pattern with its outcome.</summary>
    /// <param name="outcomes">The verdicts; when a pattern id appears twice, the first counts.</param>
    /// <param name="cancellationToken">Cancels the write before it is committed.</param>
    /// <returns>How many predictions were resolved.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> is null.</exception>
    /// <exception cref="ArgumentException">An outcome has an empty pattern id; nothing is changed.</exception>
    Task<int> ResolveAsync(IReadOnlyList<PredictionOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>Reads the predictions served for one pattern, oldest first.</summary>
    /// <param name="patternId">The pattern's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The predictions, with <see cref="PredictionRecord.WasCorrect"/> as resolved so far.</returns>
    /// <exception cref="ArgumentException"><paramref name="patternId"/> is null, empty or white space.</exception>
    Task<IReadOnlyList<PredictionRecord>> ReadAsync(string patternId, CancellationToken cancellationToken = default);
}
