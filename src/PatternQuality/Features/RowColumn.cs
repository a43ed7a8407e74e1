namespace PatternQuality.Features;

/// <summary>Declares how one column of dictionary or CSV rows becomes features.</summary>
/// <param name="Name">The column name (the dictionary key).</param>
/// <param name="Kind">How the column becomes features.</param>
public sealed record RowColumn(string Name, RowColumnKind Kind)
{
    /// <summary>The suffix of the feature prefix of a history column: column <c>user</c> gives <c>user.history.rate</c>.</summary>
    public const string HistorySuffix = ".history";

    /// <summary>Gets the declared categories of a categorical column, or <see langword="null"/> to learn them from sample rows.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>Gets the weight m of the prior in a history column's smoothed rate.</summary>
    /// <value>The default value is 5.</value>
    public double Smoothing { get; init; } = FeatureExtractorBuilder<object>.DefaultHistorySmoothing;

    /// <summary>Gets the name of the feature (or, for timestamp and history columns, the prefix of the features) the column gives.</summary>
    public string FeatureName => Kind == RowColumnKind.History ? Name + HistorySuffix : Name;
}
