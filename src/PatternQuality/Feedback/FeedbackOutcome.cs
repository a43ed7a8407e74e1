namespace PatternQuality.Feedback;

/// <summary>What a user did with a suggested pattern.</summary>
public enum FeedbackOutcome
{
    /// <summary>The user rejected (or ignored) the pattern. Label 0.</summary>
    Rejected = 0,

    /// <summary>The user approved (accepted) the pattern. Label 1.</summary>
    Approved = 1,
}
