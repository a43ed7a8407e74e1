namespace PatternQuality.Evaluation;

/// <summary>How rows are grouped into bins for calibration error and reliability diagrams.</summary>
public enum CalibrationBinning
{
    /// <summary>
    /// Bins of equal width over [0, 1]. Edges are <c>i / bins</c> computed as scikit-learn's <c>calibration_curve</c>
    /// does (<c>np.linspace</c>); bin i holds scores in (edge i, edge i+1], and the first bin also holds 0.
    /// </summary>
    EqualWidth = 0,

    /// <summary>
    /// Bins holding (almost) the same number of rows: rows sorted by score (ties in row order) and cut into
    /// <c>bins</c> consecutive runs whose sizes differ by at most one, the larger runs first (<c>np.array_split</c>).
    /// </summary>
    EqualMass = 1,
}
