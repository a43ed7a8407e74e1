namespace PatternQuality.Feedback;

/// <summary>
/// One served prediction, as an <see cref="IPredictionLog"/> keeps it: which pattern was scored, by which model version,
/// what score and decision were served, when, and (once feedback for the pattern arrived) whether the decision was right.
/// </summary>
/// <remarks>
/// The loop is closed by pattern id: feedback whose <see cref="FeedbackRecord{TPattern}.Id"/> equals
/// <see cref="PatternId"/> resolves the prediction (<see cref="IPredictionLog.ResolveAsync"/>). Give a suggestion one id
/// and use it both when scoring and as the id of its feedback (which also makes the feedback idempotent per suggestion).
/// </remarks>
public sealed record PredictionRecord
{
    /// <summary>Initializes a new instance of the <see cref="PredictionRecord"/> class.</summary>
    /// <param name="patternId">The host's id of the scored pattern (the id its feedback will carry).</param>
    /// <param name="modelVersion">The version of the model that served the score.</param>
    /// <param name="score">The served score, in [0, 1].</param>
    /// <param name="predictedApproved">The served decision: whether the score was at or above the host's threshold.</param>
    /// <param name="timestamp">When the prediction was served.</param>
    /// <exception cref="ArgumentException"><paramref name="patternId"/> or <paramref name="modelVersion"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not a number in [0, 1].</exception>
    public PredictionRecord(string patternId, string modelVersion, float score, bool predictedApproved, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patternId);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        if (!(score >= 0 && score <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A served score must be a number in [0, 1].");
        }

        PatternId = patternId;
        ModelVersion = modelVersion;
        Score = score;
        PredictedApproved = predictedApproved;
        Timestamp = timestamp;
    }

    /// <summary>Gets the host's id of the scored pattern.</summary>
    public string PatternId { get; }

    /// <summary>Gets the version of the model that served the score.</summary>
    public string ModelVersion { get; }

    /// <summary>Gets the served score, in [0, 1].</summary>
    public float Score { get; }

    /// <summary>Gets a value indicating whether the served decision was "approve" (the score at or above the threshold).</summary>
    public bool PredictedApproved { get; }

    /// <summary>Gets when the prediction was served.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the optional id of the user the pattern was scored for.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? UserId { get; init; }

    /// <summary>Gets whether the served decision matched the feedback: <see langword="null"/> while no feedback for the pattern arrived.</summary>
    /// <value>Set by the log when the prediction is read back; ignored by <see cref="IPredictionLog.AppendAsync"/>.</value>
    public bool? WasCorrect { get; init; }
}
