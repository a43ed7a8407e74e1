using PatternQuality.Data;

namespace PatternQuality.Training.Internal;

/// <summary>Where a CSV training run's holdout rows came from, so another model's columns can map the same raw rows.</summary>
/// <param name="TrainPath">The training file (all rows, before the split).</param>
/// <param name="TestPath">The test file, or <see langword="null"/> when the holdout was split off the training file.</param>
/// <param name="Options">How the files were read.</param>
internal sealed record CsvHoldoutSource(string TrainPath, string? TestPath, CsvLoadOptions Options)
{
    /// <summary>Gets the holdout's row indices in the training file, or <see langword="null"/> when the test file is the holdout.</summary>
    public IReadOnlyList<int>? TestRows { get; init; }
}
