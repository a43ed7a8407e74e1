namespace PatternQuality.Trees.Internal;

/// <summary>The best split found for one leaf on one feature, with the statistics of both sides.</summary>
internal sealed class SplitInfo
{
    public int Feature { get; init; }

    public double Gain { get; init; }

    /// <summary>Gets the last bin that goes left (numeric splits).</summary>
    public int Bin { get; init; }

    public bool DefaultLeft { get; init; }

    /// <summary>Gets the bins that go left (categorical splits), or null for numeric splits.</summary>
    public int[]? LeftBins { get; init; }

    public double LeftGradient { get; init; }

    public double LeftHessian { get; init; }

    public int LeftCount { get; init; }

    public double RightGradient { get; init; }

    public double RightHessian { get; init; }

    public int RightCount { get; init; }

    /// <summary>Returns whether each of <paramref name="binCount"/> bins goes left: bin 0 (missing) by the default direction for numeric splits.</summary>
    public bool[] GoesLeft(int binCount)
    {
        var left = new bool[binCount];
        if (LeftBins is not null)
        {
            foreach (var b in LeftBins)
            {
                left[b] = true;
            }
        }
        else
        {
            left[0] = DefaultLeft;
            for (var b = 1; b <= Bin && b < binCount; b++)
            {
                left[b] = true;
            }
        }

        return left;
    }
}
