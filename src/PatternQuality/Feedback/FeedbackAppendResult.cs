namespace PatternQuality.Feedback;

/// <summary>What <see cref="IFeedbackStore{TPattern}.AppendAsync"/> stored.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="Accepted">The records now durable, in the order given, with the sequence numbers the store gave them.</param>
/// <param name="Duplicates">How many records were discarded because the store already held their id (or the batch repeated it).</param>
public sealed record FeedbackAppendResult<TPattern>(IReadOnlyList<FeedbackRecord<TPattern>> Accepted, int Duplicates);
