namespace PatternQuality.Data;

/// <summary>How <c>CsvDatasetLoader</c> reads a delimited file into a <see cref="Dataset"/>.</summary>
public sealed class CsvLoadOptions
{
    /// <summary>Gets or sets the field delimiter.</summary>
    /// <value>The default value is <see langword="null"/>: detected from the first line (comma, semicolon, tab or pipe).</value>
    public char? Delimiter { get; set; }

    /// <summary>Gets or sets a value indicating whether the first line names the columns.</summary>
    /// <value>The default value is <see langword="true"/>. Without a header, columns are named <c>c0</c>, <c>c1</c>, ...</value>
    public bool HasHeader { get; set; } = true;

    /// <summary>Gets or sets the label column.</summary>
    /// <value>The default value is <see langword="null"/>: no label (inspection only).</value>
    /// <remarks>
    /// Without <see cref="PositiveValue"/> or <see cref="Threshold"/>, labels are read as 0/1, true/false, yes/no, y/n
    /// or approved/rejected (any case).
    /// </remarks>
    public string? LabelColumn { get; set; }

    /// <summary>Gets or sets the label value that means approved; every other value means rejected.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>Cannot be combined with <see cref="Threshold"/>. Compared ignoring case.</remarks>
    public string? PositiveValue { get; set; }

    /// <summary>Gets or sets a threshold on a numeric label column: values at or above it are approved (for example rating &gt;= 4).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public double? Threshold { get; set; }

    /// <summary>Gets the columns to ignore.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Drop { get; } = [];

    /// <summary>Gets or sets the time column (unix seconds or ISO 8601): it becomes the row timestamps and timestamp features, and orders history features.</summary>
    /// <value>The default value is <see langword="null"/>: rows are taken to be in time order.</value>
    public string? TimeColumn { get; set; }

    /// <summary>Gets the columns whose earlier feedback gives history features (<c>col.history.rate</c>, <c>col.history.count</c>).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> HistoryKeys { get; } = [];

    /// <summary>Gets or sets the column that holds the user or group of each row (kept as <see cref="Dataset.Groups"/>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? GroupColumn { get; set; }

    /// <summary>Gets or sets the most categories a categorical column keeps; rarer values fold into <c>&lt;other&gt;</c>.</summary>
    /// <value>The default value is 1000. Allowed range: 1 to 1,000,000.</value>
    public int MaxCategoricalDistinct { get; set; } = 1000;

    /// <summary>Gets or sets how many times a category must occur to get its own index; rarer values fold into <c>&lt;other&gt;</c>.</summary>
    /// <value>The default value is 1. Allowed range: 1 to 1,000,000.</value>
    public int MinCategoryCount { get; set; } = 1;

    /// <summary>Lists every problem with these options.</summary>
    /// <returns>One message per problem, each naming the option; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Delimiter is '"' or '\r' or '\n')
        {
            errors.Add($"{nameof(Delimiter)} cannot be a quote or a line break.");
        }

        if (PositiveValue is not null && Threshold is not null)
        {
            errors.Add($"{nameof(PositiveValue)} and {nameof(Threshold)} cannot both be set.");
        }

        if (Threshold is { } t && !double.IsFinite(t))
        {
            errors.Add($"{nameof(Threshold)} must be a finite number (was {t}).");
        }

        if ((PositiveValue is not null || Threshold is not null) && LabelColumn is null)
        {
            errors.Add($"{nameof(PositiveValue)} and {nameof(Threshold)} need a {nameof(LabelColumn)}.");
        }

        if (MaxCategoricalDistinct is < 1 or > 1_000_000)
        {
            errors.Add($"{nameof(MaxCategoricalDistinct)} must be between 1 and 1,000,000 (was {MaxCategoricalDistinct}).");
        }

        if (MinCategoryCount is < 1 or > 1_000_000)
        {
            errors.Add($"{nameof(MinCategoryCount)} must be between 1 and 1,000,000 (was {MinCategoryCount}).");
        }

        if (LabelColumn is not null && (LabelColumn == TimeColumn || Drop.Contains(LabelColumn) || HistoryKeys.Contains(LabelColumn)))
        {
            errors.Add($"{nameof(LabelColumn)} '{LabelColumn}' cannot also be the time column, a dropped column or a history key.");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid CSV load options: " + string.Join(" ", errors));
        }
    }
}
