namespace PatternQuality.Storage.Shared;

/// <summary>
/// Group commit for a durable feedback store: a commit costs one flush of the log whatever it holds, so batches that
/// arrive while another is being written wait here, and the next writer commits all of them in one transaction. Each
/// caller still gets its own result, and its batch is stored whole or not at all (the transaction is shared).
/// </summary>
/// <typeparam name="TBatch">A caller's batch, prepared (validated, serialized) before it queues.</typeparam>
/// <typeparam name="TResult">What one caller gets back.</typeparam>
/// <remarks>
/// <para>
/// Linked into the SQLite and PostgreSQL store packages (src/Shared/README.md), so the queueing rules are written once.
/// The writer lock is the caller's: the SQLite store passes the process-wide semaphore of its database file, the
/// PostgreSQL store one per store instance (its writers of other processes and instances take turns on the server's
/// advisory lock inside the transaction).
/// </para>
/// <para>
/// A writer completes every batch it takes before it releases the lock, so a batch not completed when a caller gets the
/// lock is still queued, and that caller writes it together with every other queued one. A caller whose batch another
/// writer took (even after the caller's token was cancelled, or its wait timed out) gets that writer's outcome: the
/// batch may already be committed, so only the writer's answer is true. The write itself runs without the callers'
/// tokens for the same reason: cancelling it would cancel other callers' batches.
/// </para>
/// </remarks>
internal sealed class GroupCommit<TBatch, TResult>
{
    private readonly SemaphoreSlim _writers;
    private readonly TimeSpan _lockTimeout;
    private readonly List<Pending> _pending = [];
    private int _commits;

    /// <summary>Initializes a new instance of the <see cref="GroupCommit{TBatch, TResult}"/> class.</summary>
    /// <param name="writers">The writer lock (one permit) this store's writers share.</param>
    /// <param name="lockTimeout">How long a caller waits for the writer lock before it withdraws its batch.</param>
    public GroupCommit(SemaphoreSlim writers, TimeSpan lockTimeout)
    {
        _writers = writers;
        _lockTimeout = lockTimeout;
    }

    /// <summary>Gets how many groups were committed (tests check that concurrent batches share one).</summary>
    public int CommitCount => Volatile.Read(ref _commits);

    /// <summary>Gets how many batches are waiting for a writer (for tests).</summary>
    public int PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="batch"/> and returns its result once a writer (this call or another) has committed it.</summary>
    /// <param name="batch">The caller's batch.</param>
    /// <param name="writeGroup">
    /// Writes the batches given (in arrival order) in one transaction and returns one result per batch, in that order;
    /// when it throws, nothing of the group may have been committed, and every caller in the group gets the exception.
    /// </param>
    /// <param name="timedOut">The exception for a caller that waited longer than the lock timeout while no writer took its batch.</param>
    /// <param name="cancellationToken">Cancels the wait for the writer lock while no writer has taken the batch.</param>
    /// <returns>The batch's own result.</returns>
    public async Task<TResult> SubmitAsync(TBatch batch, Func<IReadOnlyList<TBatch>, Task<TResult[]>> writeGroup, Func<Exception> timedOut, CancellationToken cancellationToken)
    {
        var pending = new Pending(batch);
        lock (_pending)
        {
            _pending.Add(pending);
        }

        bool acquired;
        try
        {
            acquired = await AcquireWriterOrResultAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!TryWithdraw(pending))
        {
            // Another writer took the batch into its transaction already: its outcome is the caller's.
            return await pending.Completion.Task.ConfigureAwait(false);
        }

        if (!acquired)
        {
            if (TryWithdraw(pending))
            {
                throw timedOut();
            }

            return await pending.Completion.Task.ConfigureAwait(false);
        }

        try
        {
            if (!pending.Completion.Task.IsCompleted)
            {
                List<Pending> group;
                lock (_pending)
                {
                    group = [.. _pending];
                    _pending.Clear();
                }

                await WriteAsync(group, writeGroup).ConfigureAwait(false);
            }
        }
        finally
        {
            _writers.Release();
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    private async Task WriteAsync(List<Pending> group, Func<IReadOnlyList<TBatch>, Task<TResult[]>> writeGroup)
    {
        TResult[] results;
        try
        {
            var batches = new TBatch[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                batches[i] = group[i].Batch;
            }

            results = await writeGroup(batches).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nothing of the group was committed: every caller in it gets the failure.
            foreach (var item in group)
            {
                item.Completion.TrySetException(ex);
            }

            return;
        }

        Interlocked.Increment(ref _commits);
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Completion.TrySetResult(results[i]);
        }
    }

    /// <summary>
    /// Waits for the writer lock, or for another writer to commit <paramref name="pending"/> first. Returns
    /// <see langword="true"/> holding the lock, <see langword="false"/> when the batch was committed (or failed) by
    /// another writer or the lock timed out.
    /// </summary>
    private async Task<bool> AcquireWriterOrResultAsync(Pending pending, CancellationToken cancellationToken)
    {
        var acquire = _writers.WaitAsync(_lockTimeout, cancellationToken);
        if (await Task.WhenAny(acquire, pending.Completion.Task).ConfigureAwait(false) == acquire)
        {
            return await acquire.ConfigureAwait(false);
        }

        // Done by another writer; if the lock is granted to this call later, hand it straight back.
        _ = acquire.ContinueWith(
            static (t, state) =>
            {
                if (t.IsCompletedSuccessfully && t.Result)
                {
                    ((SemaphoreSlim)state!).Release();
                }
            },
            _writers,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return false;
    }

    /// <summary>Removes a batch no writer has taken yet; <see langword="false"/> when a writer already has it.</summary>
    private bool TryWithdraw(Pending pending)
    {
        lock (_pending)
        {
            return _pending.Remove(pending);
        }
    }

    /// <summary>A caller's batch waiting for a writer, and where its result goes.</summary>
    private sealed class Pending(TBatch batch)
    {
        public TBatch Batch { get; } = batch;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
