namespace PatternQuality.ActiveLearning;

/// <summary>How <see cref="UncertaintyQueryStrategy"/> turns a probability into uncertainty.</summary>
/// <remarks>
/// For a binary model all three order candidates identically (each is a decreasing function of |p - 0.5|); they
/// differ in magnitude, which matters when the uncertainty is weighted by density or spread over a diverse batch.
/// </remarks>
public enum UncertaintyMeasure
{
    /// <summary>1 - max(p, 1 - p): how far the most likely answer is from certain.</summary>
    LeastConfident = 0,

    /// <summary>1 - |p - (1 - p)|: how close the two answers are.</summary>
    Margin = 1,

    /// <summary>The Shannon entropy of the answer, in bits.</summary>
    Entropy = 2,
}
