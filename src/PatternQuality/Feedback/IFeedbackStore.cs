namespace PatternQuality.Feedback;

/// <summary>
/// A durable home for feedback: the sink a host writes its users' verdicts to, and the
/// <see cref="IFeedbackSource{TPattern}"/> the learner and the trainer read them back from.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// <para>What every implementation promises (the feedback contract tests check each one):</para>
/// <list type="bullet">
/// <item><description><b>Acknowledged means durable.</b> The task of <see cref="AppendAsync"/> completes only once the
/// accepted records survive a crash of the process (and, where the medium allows, of the machine). A batch is stored
/// whole or not at all: when the call throws, none of its records is acknowledged.</description></item>
/// <item><description><b>Idempotent by id.</b> A record whose <see cref="FeedbackRecord{TPattern}.Id"/> the store
/// already holds, or that repeats an id earlier in the same batch, is not stored again and is counted in
/// <see cref="FeedbackAppendResult{TPattern}.Duplicates"/>: a client may retry a batch it got no answer for.</description></item>
/// <item><description><b>The store numbers the records.</b> The sequence numbers given are ignored; every accepted record
/// gets one greater than that of every record stored before it.</description></item>
/// <item><description><b>No record is skipped by a watermark.</b> A record becomes visible to
/// <see cref="IFeedbackSource{TPattern}.ReadAsync"/> only when every record with a smaller sequence is, so a reader that
/// resumes after the last sequence it saw never misses one that was being appended meanwhile, by this or another
/// instance or process.</description></item>
/// <item><description><b>Bad input is refused before anything is written:</b> a null batch with
/// <see cref="ArgumentNullException"/>, a null record with <see cref="ArgumentException"/>; a token cancelled before the
/// append starts with <see cref="OperationCanceledException"/>, nothing stored. A disposed store throws
/// <see cref="ObjectDisposedException"/>.</description></item>
/// </list>
/// <para>Implementations are thread-safe. Stores in this family: <see cref="InMemoryFeedbackSource{TPattern}"/> (process
/// memory, for tests), the durable file log of the hosting package, and the SQLite and PostgreSQL stores of their own
/// packages.</para>
/// </remarks>
public interface IFeedbackStore<TPattern> : IFeedbackSource<TPattern>
{
    /// <summary>
    /// Stores a batch of records durably, numbering the new ones and discarding those whose id is already held, and
    /// returns once they are durable.
    /// </summary>
    /// <param name="records">The feedback; the sequence numbers given are replaced by the store's.</param>
    /// <param name="cancellationToken">Cancels the append before it is committed; a batch being committed completes.</param>
    /// <returns>The accepted records with their sequence numbers, and how many were duplicates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException">A record of the batch is null; nothing is stored.</exception>
    /// <exception cref="IOException">The store could not be written; nothing of the batch is acknowledged (database stores may throw a <see cref="PatternQualityException"/> naming the database instead).</exception>
    Task<FeedbackAppendResult<TPattern>> AppendAsync(IReadOnlyList<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken = default);

    /// <summary>Counts the records the store holds (by every instance and process that writes to it).</summary>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The number of records held.</returns>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
