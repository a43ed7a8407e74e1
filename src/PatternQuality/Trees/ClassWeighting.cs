namespace PatternQuality.Trees;

/// <summary>How a tree learner weighs the classes of a training set.</summary>
public enum ClassWeighting
{
    /// <summary>Every row weighs its sample weight (1 when the dataset has none).</summary>
    None = 0,

    /// <summary>
    /// Each class weighs <c>rows / (classes * rowsOfThatClass)</c> times the sample weight, so rare classes count as much
    /// as common ones (scikit-learn's <c>class_weight="balanced"</c>).
    /// </summary>
    Balanced = 1,
}
