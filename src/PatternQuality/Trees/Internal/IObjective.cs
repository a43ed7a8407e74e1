namespace PatternQuality.Trees.Internal;

/// <summary>
/// The loss a boosted ensemble minimises: gradients and hessians of the loss with respect to the raw scores.
/// Scores are row-major, <see cref="ScoreCount"/> per row. Learning-to-rank plugs in here next.
/// </summary>
internal interface IObjective
{
    /// <summary>Gets the objective's name as stored in the model file.</summary>
    string Name { get; }

    /// <summary>Gets the number of raw scores (trees per round) per row.</summary>
    int ScoreCount { get; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the row when a label is not valid for this objective.</summary>
    void CheckLabels(ReadOnlySpan<float> labels, string parameterName);

    /// <summary>Returns the starting score of each column: the weighted log-odds or log-priors.</summary>
    double[] InitialScores(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights);

    /// <summary>Fills per-column gradients and hessians (already multiplied by the row weights) for rows [from, to).</summary>
    void ComputeGradients(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores, float[][] gradients, float[][] hessians, int from, int to);

    /// <summary>Returns the weighted mean loss (for early stopping).</summary>
    double Loss(ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<double> scores);
}
