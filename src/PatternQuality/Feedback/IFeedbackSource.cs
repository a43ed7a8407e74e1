namespace PatternQuality.Feedback;

/// <summary>
/// Where feedback comes from: the host application's database, queue or log.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// Records must come in increasing <see cref="FeedbackRecord{TPattern}.Sequence"/> order, and reading again after the
/// same watermark must yield the same records (plus any that arrived since), so a learner can resume exactly where it
/// stopped after a crash.
/// </remarks>
public interface IFeedbackSource<TPattern>
{
    /// <summary>Streams the records whose sequence comes after <paramref name="after"/>, in sequence order.</summary>
    /// <param name="after">The watermark to resume from; <see cref="FeedbackWatermark.Start"/> for everything.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The records after the watermark.</returns>
    IAsyncEnumerable<FeedbackRecord<TPattern>> ReadAsync(FeedbackWatermark after, CancellationToken cancellationToken = default);
}
