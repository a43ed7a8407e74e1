namespace PatternQuality.Validation;

/// <summary>Settings of <see cref="CrossValidator.Run"/>.</summary>
public sealed class CrossValidationOptions
{
    /// <summary>Gets or sets the number of folds.</summary>
    /// <value>The default value is 5. Allowed: 2 to 1000.</value>
    public int Folds { get; set; } = 5;

    /// <summary>Gets or sets a value indicating whether folds keep each group (user) together, using <see cref="Data.Dataset.Groups"/>.</summary>
    /// <value>The default value is <see langword="false"/> (stratified by label).</value>
    /// <remarks>When <see langword="true"/> the dataset must have groups and <see cref="Seed"/> is not used.</remarks>
    public bool Grouped { get; set; }

    /// <summary>Gets or sets the shuffling seed of stratified folds.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the decision threshold for accuracy, precision, recall and F1.</summary>
    /// <value>The default value is 0.5. Allowed: 0 to 1.</value>
    public double Threshold { get; set; } = 0.5;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its allowed range.</exception>
    public void Validate()
    {
        if (Folds is < 2 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "CrossValidationOptions.Folds must be between 2 and 1000.");
        }

        if (!(Threshold >= 0 && Threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "CrossValidationOptions.Threshold must be between 0 and 1.");
        }
    }
}
