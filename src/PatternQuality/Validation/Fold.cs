namespace PatternQuality.Validation;

/// <summary>One fold of a k-fold split: the rows to train on and the rows to test on, each in ascending order.</summary>
/// <param name="Index">The fold number, from 0.</param>
/// <param name="TrainRows">Rows of the training part.</param>
/// <param name="TestRows">Rows of the held-out part.</param>
public sealed record Fold(int Index, IReadOnlyList<int> TrainRows, IReadOnlyList<int> TestRows);
