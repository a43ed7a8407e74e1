using PatternQuality.Scoring.Internal;

namespace PatternQuality.Scoring;

/// <summary>
/// Why a pattern got its score: the score, the model's average, and the features that moved it most, with a short
/// reason text for people ("more likely approved: type = energy (+0.41), confidence = 0.92 (+0.22); less likely: shown = Sat 23:00 (-0.18)").
/// </summary>
/// <remarks>
/// Contributions are exact path-dependent TreeSHAP values (Lundberg et al. 2018). A declared feature that writes
/// several columns (a timestamp, a history feature) is reported once, with the sum of its columns' contributions.
/// Immutable; <see cref="Reason"/> is built on first use.
/// </remarks>
public sealed class ScoreExplanation
{
    private readonly FeatureContribution[] _contributions;
    private string? _reason;

    internal ScoreExplanation(float score, double baseScore, double rawScore, double bias, FeatureContribution[] contributions, string outcome)
    {
        Score = score;
        BaseScore = baseScore;
        RawScore = rawScore;
        Bias = bias;
        _contributions = contributions;
        Outcome = outcome;
    }

    /// <summary>Gets the calibrated score that is explained (the same value <c>Score</c> returns).</summary>
    public float Score { get; }

    /// <summary>Gets the calibrated score of the model's average prediction (the bias mapped to a probability).</summary>
    public double BaseScore { get; }

    /// <summary>Gets the raw score: log-odds for a boosted model, the uncalibrated probability for a forest.</summary>
    public double RawScore { get; }

    /// <summary>Gets the expected raw score over the training data; the raw score is this plus every feature's contribution.</summary>
    public double Bias { get; }

    /// <summary>Gets the outcome the contributions point towards when positive (for example "approved").</summary>
    public string Outcome { get; }

    /// <summary>Gets the features that moved the score most, largest absolute contribution first.</summary>
    public IReadOnlyList<FeatureContribution> Contributions => _contributions;

    /// <summary>Gets a one-line reason: the features for the outcome, then those against it, with their raw contributions.</summary>
    public string Reason => _reason ??= ExplanationText.Format(_contributions, Outcome);

    /// <inheritdoc />
    public override string ToString() => Reason;
}
