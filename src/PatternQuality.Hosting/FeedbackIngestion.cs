using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Feedback;

namespace PatternQuality.Hosting;

/// <summary>
/// Takes feedback from the host's requests: appends it durably to the registered <see cref="IFeedbackStore{TPattern}"/>
/// (acknowledged only once durable), then hands the accepted records to the incremental learner when it runs.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// <para>
/// A record that is on disk but not yet learned (the buffer was full, the process died, no model existed yet) is not
/// lost: the learner reads it from the store when it resumes, after its watermark.
/// </para>
/// <para>
/// With a prediction log (<c>UsePredictionLog()</c>), each accepted record's outcome also closes the predictions served
/// for its id (<see cref="PredictionRecorder.TryResolve"/>, queued after the append is durable, never waited for).
/// </para>
/// </remarks>
public sealed class FeedbackIngestion<TPattern>
{
    private readonly IFeedbackStore<TPattern> _store;
    private readonly IServiceProvider _services;

    /// <summary>Initializes the ingestion; the container creates it.</summary>
    /// <param name="store">The durable feedback store (the file log, a database store).</param>
    /// <param name="services">Finds the hosted lifecycle's learner.</param>
    public FeedbackIngestion(IFeedbackStore<TPattern> store, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(services);
        _store = store;
        _services = services;
    }

    /// <summary>Stores feedback durably and queues it for learning.</summary>
    /// <param name="records">The feedback; sequence numbers are assigned by the store.</param>
    /// <param name="cancellationToken">Cancels waiting; once the append started, the records are stored.</param>
    /// <returns>The accepted records and the number of duplicates.</returns>
    /// <exception cref="ArgumentException">A record is null.</exception>
    /// <exception cref="IOException">The store could not be written; nothing was acknowledged.</exception>
    public async Task<FeedbackAppendResult<TPattern>> SubmitAsync(IReadOnlyList<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken = default)
    {
        var result = await _store.AppendAsync(records, cancellationToken).ConfigureAwait(false);
        if (_services.GetService<PredictionRecorder>() is { } predictions)
        {
            // After the append: a verdict the feedback store refused must not close a prediction. A duplicate closed its
            // predictions when it was first accepted.
            foreach (var record in result.Accepted)
            {
                predictions.TryResolve(new PredictionOutcome(record.Id, record.Outcome));
            }
        }

        if (_services.GetService<PatternQualityHostedService<TPattern>>()?.Learner is { } learner)
        {
            foreach (var record in result.Accepted)
            {
                // Backpressure: a full buffer makes the caller wait. Cancelled here, the record is still durable and
                // is learned after the next restart, when the learner resumes from the store.
                await learner.AddAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }
}
