using PatternQuality.Evaluation;

namespace PatternQuality.Validation;

/// <summary>Settings of <see cref="PermutationImportance.Compute"/>.</summary>
public sealed class PermutationImportanceOptions
{
    /// <summary>Gets or sets the metric whose loss measures importance.</summary>
    /// <value>The default value is <see cref="EvaluationMetric.Auc"/>.</value>
    public EvaluationMetric Metric { get; set; } = EvaluationMetric.Auc;

    /// <summary>Gets or sets how many times each column is shuffled.</summary>
    /// <value>The default value is 5. Allowed: 1 to 1000.</value>
    public int Repeats { get; set; } = 5;

    /// <summary>Gets or sets the shuffling seed.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its allowed range.</exception>
    public void Validate()
    {
        if (Repeats is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "PermutationImportanceOptions.Repeats must be between 1 and 1000.");
        }

        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "PermutationImportanceOptions.Metric must be a defined EvaluationMetric.");
        }
    }
}
