using PatternQuality.Data;

namespace PatternQuality.Validation;

/// <summary>A dataset cut into a training part and a test part.</summary>
public sealed class DataSplit
{
    internal DataSplit(Dataset train, Dataset test, int[] trainRows, int[] testRows, long? cutoff)
    {
        Train = train;
        Test = test;
        TrainRows = trainRows;
        TestRows = testRows;
        CutoffTimestamp = cutoff;
    }

    /// <summary>Gets the rows to train on.</summary>
    public Dataset Train { get; }

    /// <summary>Gets the rows to test on.</summary>
    public Dataset Test { get; }

    /// <summary>Gets the original row indexes of <see cref="Train"/>.</summary>
    public IReadOnlyList<int> TrainRows { get; }

    /// <summary>Gets the original row indexes of <see cref="Test"/>.</summary>
    public IReadOnlyList<int> TestRows { get; }

    /// <summary>
    /// Gets, for a temporal split by timestamps, the first test time (unix ms): every training row is strictly earlier.
    /// Compute history features (approval rates, counts) from events before this time only, so nothing from the test
    /// period leaks into training. <see langword="null"/> for random splits and for splits by row order.
    /// </summary>
    public long? CutoffTimestamp { get; }
}
