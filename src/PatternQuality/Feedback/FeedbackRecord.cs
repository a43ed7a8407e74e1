namespace PatternQuality.Feedback;

/// <summary>One user's verdict on one suggested pattern.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
public sealed record FeedbackRecord<TPattern>
{
    private readonly string _id = string.Empty;
    private readonly float _weight = 1f;
    private readonly float? _relevance;

    /// <summary>Initializes a new feedback record.</summary>
    /// <param name="id">A stable identifier, unique within the source; used to spot duplicates.</param>
    /// <param name="sequence">The position in the source's stream; grows with every record (see <see cref="FeedbackWatermark"/>).</param>
    /// <param name="pattern">The pattern the user saw.</param>
    /// <param name="outcome">What the user did.</param>
    /// <param name="timestamp">When the user gave the feedback.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, <paramref name="sequence"/> is negative, or <paramref name="outcome"/> is undefined.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public FeedbackRecord(string id, long sequence, TPattern pattern, FeedbackOutcome outcome, DateTimeOffset timestamp)
    {
        Id = id;
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (pattern is null)
        {
            throw new ArgumentNullException(nameof(pattern), $"Feedback '{id}' has no pattern.");
        }

        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentException($"Feedback '{id}': outcome {(int)outcome} is not a defined FeedbackOutcome.", nameof(outcome));
        }

        Sequence = sequence;
        Pattern = pattern;
        Outcome = outcome;
        Timestamp = timestamp;
    }

    /// <summary>Gets the stable identifier of the record.</summary>
    public string Id
    {
        get => _id;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Id));
            _id = value;
        }
    }

    /// <summary>Gets the position of the record in its source's stream.</summary>
    public long Sequence { get; init; }

    /// <summary>Gets the pattern the user saw.</summary>
    public TPattern Pattern { get; init; }

    /// <summary>Gets what the user did.</summary>
    public FeedbackOutcome Outcome { get; init; }

    /// <summary>Gets when the feedback was given.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets an optional graded relevance (for example a 0 to 4 rating) for ranking objectives.</summary>
    /// <value>The default value is <see langword="null"/>: only <see cref="Outcome"/> is known.</value>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float? Relevance
    {
        get => _relevance;
        init
        {
            if (value is { } v && (!float.IsFinite(v) || v < 0))
            {
                throw new ArgumentOutOfRangeException(nameof(Relevance), value, "Relevance must be a finite number >= 0.");
            }

            _relevance = value;
        }
    }

    /// <summary>Gets the optional identifier of the user who gave the feedback.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? UserId { get; init; }

    /// <summary>Gets the optional group (for ranking: the query or impression the pattern was shown in).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? GroupId { get; init; }

    /// <summary>Gets the sample weight.</summary>
    /// <value>The default value is 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float Weight
    {
        get => _weight;
        init
        {
            if (!float.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Weight), value, "Weight must be a finite number >= 0.");
            }

            _weight = value;
        }
    }

    /// <summary>Gets the label a binary learner trains on: 1 for approved, 0 for rejected.</summary>
    public float Label => Outcome == FeedbackOutcome.Approved ? 1f : 0f;
}
