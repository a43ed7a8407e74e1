namespace PatternQuality.Evaluation;

/// <summary>
/// The (weighted) counts of a binary decision at a threshold: a row is predicted positive when its score is at
/// least the threshold.
/// </summary>
/// <param name="TruePositives">Weight of positive rows predicted positive.</param>
/// <param name="FalsePositives">Weight of negative rows predicted positive.</param>
/// <param name="TrueNegatives">Weight of negative rows predicted negative.</param>
/// <param name="FalseNegatives">Weight of positive rows predicted negative.</param>
public readonly record struct ConfusionMatrix(double TruePositives, double FalsePositives, double TrueNegatives, double FalseNegatives)
{
    /// <summary>Gets the total weight of all rows.</summary>
    public double Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Gets the share of rows decided correctly, or NaN when the total weight is zero.</summary>
    public double Accuracy => Total > 0 ? (TruePositives + TrueNegatives) / Total : double.NaN;

    /// <summary>Gets TP / (TP + FP), or 0 when nothing is predicted positive (scikit-learn's <c>zero_division=0</c>).</summary>
    public double Precision => TruePositives + FalsePositives > 0 ? TruePositives / (TruePositives + FalsePositives) : 0d;

    /// <summary>Gets TP / (TP + FN), or 0 when there are no positive rows (scikit-learn's <c>zero_division=0</c>).</summary>
    public double Recall => TruePositives + FalseNegatives > 0 ? TruePositives / (TruePositives + FalseNegatives) : 0d;

    /// <summary>Gets the harmonic mean of precision and recall, 2TP / (2TP + FP + FN), or 0 when that is 0/0.</summary>
    public double F1
    {
        get
        {
            var d = (2 * TruePositives) + FalsePositives + FalseNegatives;
            return d > 0 ? 2 * TruePositives / d : 0d;
        }
    }
}
