using PatternQuality.Feedback;

namespace PatternQuality.Hosting.Internal;

/// <summary>The JSON shape of one record in the durable feedback log (stable names; no type names).</summary>
internal sealed class FeedbackFrame<TPattern>
{
    public string Id { get; set; } = string.Empty;

    public long Sequence { get; set; }

    public TPattern? Pattern { get; set; }

    public bool Approved { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public float Weight { get; set; } = 1f;

    public float? Relevance { get; set; }

    public string? UserId { get; set; }

    public string? GroupId { get; set; }

    public static FeedbackFrame<TPattern> From(FeedbackRecord<TPattern> r) => new()
    {
        Id = r.Id,
        Sequence = r.Sequence,
        Pattern = r.Pattern,
        Approved = r.Outcome == FeedbackOutcome.Approved,
        Timestamp = r.Timestamp,
        Weight = r.Weight,
        Relevance = r.Relevance,
        UserId = r.UserId,
        GroupId = r.GroupId,
    };

    public FeedbackRecord<TPattern> ToRecord() => new(Id, Sequence, Pattern!, Approved ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, Timestamp)
    {
        Weight = Weight,
        Relevance = Relevance,
        UserId = UserId,
        GroupId = GroupId,
    };
}
