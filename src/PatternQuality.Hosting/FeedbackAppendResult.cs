using PatternQuality.Feedback;

namespace PatternQuality.Hosting;

/// <summary>What <see cref="DurableFeedbackLog{TPattern}.AppendAsync"/> stored.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <param name="Accepted">The records now on disk, with the sequence numbers the log gave them.</param>
/// <param name="Duplicates">How many records were discarded because the log already held their id.</param>
public sealed record FeedbackAppendResult<TPattern>(IReadOnlyList<FeedbackRecord<TPattern>> Accepted, int Duplicates);
