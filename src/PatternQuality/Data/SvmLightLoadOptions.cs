namespace PatternQuality.Data;

/// <summary>How <see cref="SvmLightLoader"/> reads a sparse SVMlight / LibSVM file.</summary>
public sealed class SvmLightLoadOptions
{
    /// <summary>Gets or sets the query file: one group size per line, in row order (as LightGBM's <c>.query</c> files).</summary>
    /// <value>The default value is <see langword="null"/>: no query groups, unless the rows carry <c>qid:</c> tokens.</value>
    public string? QueryFile { get; set; }

    /// <summary>Gets or sets the number of features, so a training and a test file get the same schema.</summary>
    /// <value>The default value is <see langword="null"/>: the largest feature index in the file. Allowed range: 1 to 10,000,000.</value>
    public int? FeatureCount { get; set; }

    /// <summary>Gets or sets the largest feature index accepted when <see cref="FeatureCount"/> is not set.</summary>
    /// <value>The default value is 100,000. Allowed range: 1 to 10,000,000.</value>
    /// <remarks>
    /// The dataset is dense, one column per index up to the largest: a single stray index such as 100,000,000 would
    /// otherwise ask for that many columns of every row. A larger index is an error naming its line.
    /// </remarks>
    public int MaxFeatureCount { get; set; } = 100_000;

    /// <summary>Gets or sets a threshold that turns graded labels into 0/1 (label &gt;= threshold is approved).</summary>
    /// <value>The default value is <see langword="null"/>: labels are kept as given (graded relevance for ranking).</value>
    public double? LabelThreshold { get; set; }

    /// <summary>Lists every problem with these options.</summary>
    /// <returns>One message per problem, each naming the option; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FeatureCount is { } n && (n < 1 || n > 10_000_000))
        {
            errors.Add($"{nameof(FeatureCount)} must be between 1 and 10,000,000 (was {n}).");
        }

        if (MaxFeatureCount is < 1 or > 10_000_000)
        {
            errors.Add($"{nameof(MaxFeatureCount)} must be between 1 and 10,000,000 (was {MaxFeatureCount}).");
        }

        if (LabelThreshold is { } t && !double.IsFinite(t))
        {
            errors.Add($"{nameof(LabelThreshold)} must be a finite number (was {t}).");
        }

        return errors;
    }
}
