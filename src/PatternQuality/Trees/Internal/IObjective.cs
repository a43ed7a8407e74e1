using PatternQuality.Data;

namespace PatternQuality.Trees.Internal;

/// <summary>
/// The loss a boosted ensemble minimises: gradients and hessians of the loss with respect to the raw scores.
/// Scores are row-major, <see cref="ScoreCount"/> per row.
/// </summary>
internal interface IObjective
{
    /// <summary>Gets the objective's name as stored in the model file.</summary>
    string Name { get; }

    /// <summary>Gets the number of raw scores (trees per round) per row.</summary>
    int ScoreCount { get; }

    /// <summary>Gets how the trained ensemble's trees combine.</summary>
    EnsembleKind Kind => ScoreCount == 1 ? EnsembleKind.BoostedBinary : EnsembleKind.BoostedMulticlass;

    /// <summary>Gets the number of distinct integer labels (label values are 0 to this minus one), for per-label weighting.</summary>
    int LabelLevels => Math.Max(2, ScoreCount);

    /// <summary>
    /// Returns the objective for one data set. Row-wise losses return themselves; a ranking loss binds the data's query
    /// boundaries, so the training and the validation set each get their own.
    /// </summary>
    IObjective Bind(Dataset data, string parameterName) => this;

    /// <summary>Throws <see cref="ArgumentException"/> naming the row when a label is not valid for this objective.</summary>
    void CheckLabels(ReadOnlySpan<float> labels, string parameterName);

    /// <summary>Returns the starting score of each column: the weighted log-odds or log-priors.</summary>
    double[] InitialScores(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights);

    /// <summary>
    /// Fills per-column gradients and hessians (already multiplied by the row weights) for rows [from, to). Calls for
    /// disjoint ranges may run at once.
    /// </summary>
    void ComputeGradients(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores, float[][] gradients, float[][] hessians, int from, int to);

    /// <summary>Returns the weighted mean loss (for early stopping; lower is better).</summary>
    double Loss(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores);
}
