namespace PatternQuality.Training;

/// <summary>How <see cref="QualityTrainer"/> holds out test rows when no test set is given.</summary>
public enum SplitStrategy
{
    /// <summary><see cref="Temporal"/> when the data has timestamps, otherwise <see cref="Random"/>.</summary>
    Auto = 0,

    /// <summary>A stratified random holdout (the positive rate is the same on both sides).</summary>
    Random = 1,

    /// <summary>The latest rows by timestamp are the test set, so the model is judged on the future it will face.</summary>
    Temporal = 2,

    /// <summary>The last rows of the data, in the order they came, are the test set (for files in time order without a time column).</summary>
    FileOrder = 3,
}
