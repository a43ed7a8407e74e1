namespace PatternQuality.Validation;

/// <summary>Reported after each cross-validation fold.</summary>
/// <param name="CompletedFolds">Folds finished so far.</param>
/// <param name="TotalFolds">All folds.</param>
/// <param name="LastFold">The fold just finished.</param>
public sealed record CrossValidationProgress(int CompletedFolds, int TotalFolds, FoldResult LastFold);
