using PatternQuality.Scoring;

namespace PatternQuality.Scheduling;

/// <summary>A candidate time to show a pattern, with its score and why: the whole explanation and the part that is about the time.</summary>
/// <remarks>
/// <see cref="TimeContributions"/> are the exact TreeSHAP contributions of the features whose value changes with the
/// time (the timestamp's hour and weekday, history as of that time); the other features' contributions are in
/// <see cref="Explanation"/>. Their sum is what the time adds to or takes from this pattern's raw score, so comparing
/// two slots' time contributions says why one slot beats the other.
/// </remarks>
public sealed class ExplainedTimeSlot
{
    private readonly FeatureContribution[] _timeContributions;
    private readonly ScoreExplanation _timePart;

    internal ExplainedTimeSlot(DateTimeOffset time, ScoreExplanation explanation, FeatureContribution[] timeContributions)
    {
        Time = time;
        Explanation = explanation;
        _timeContributions = timeContributions;

        // The time-dependent contributions as an explanation of their own, for its reason text.
        _timePart = new ScoreExplanation(explanation.Score, explanation.BaseScore, explanation.RawScore, explanation.Bias, timeContributions, explanation.Outcome);
    }

    /// <summary>Gets the candidate time.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Gets the calibrated probability of approval if the pattern is shown at <see cref="Time"/>.</summary>
    public float Score => Explanation.Score;

    /// <summary>Gets the explanation of the score at this time (the features that moved it most, time or not).</summary>
    public ScoreExplanation Explanation { get; }

    /// <summary>Gets the contributions of the time-dependent features at this time, largest absolute contribution first.</summary>
    public IReadOnlyList<FeatureContribution> TimeContributions => _timeContributions;

    /// <summary>Gets a one-line reason for this time: the time-dependent features for and against approval.</summary>
    public string Reason => _timeContributions.Length == 0 ? "the time does not change this pattern's score" : _timePart.Reason;

    /// <inheritdoc />
    public override string ToString() => $"{Time:O} {Score:F3}: {Reason}";
}
