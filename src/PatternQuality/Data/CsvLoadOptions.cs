using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Data;

/// <summary>How <c>CsvDatasetLoader</c> reads a delimited file into a <see cref="Dataset"/>.</summary>
public class CsvLoadOptions
{
    /// <summary>Gets or sets the field delimiter.</summary>
    /// <value>The default value is <see langword="null"/>: detected from the first line (comma, semicolon, tab or pipe).</value>
    [DeniedValues('"', '\r', '\n', ErrorMessage = "The field {0} cannot be a quote or a line break.")]
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
    [Finite]
    public double? Threshold { get; set; }

    /// <summary>Gets or sets a value indicating whether labels are graded relevance for ranking (whole numbers 0 to 31) rather than approved/rejected.</summary>
    /// <value>The default value is <see langword="false"/>. Cannot be combined with <see cref="PositiveValue"/> or <see cref="Threshold"/>.</value>
    public bool GradedLabels { get; set; }

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
    [Range(1, 1_000_000)]
    public int MaxCategoricalDistinct { get; set; } = 1000;

    /// <summary>Gets or sets how many times a category must occur to get its own index; rarer values fold into <c>&lt;other&gt;</c>.</summary>
    /// <value>The default value is 1. Allowed range: 1 to 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int MinCategoryCount { get; set; } = 1;

    /// <summary>Throws when a setting is out of range or settings contradict each other, naming every problem.</summary>
    /// <remarks>Runs <see cref="CsvLoadOptionsValidator"/>, generated from the data annotations above, and the rules between settings, as the CSV loaders do.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new CsvLoadOptionsValidator(), new CsvLoadOptionsConsistencyValidator());
}

/// <summary>Checks the data annotations of <see cref="CsvLoadOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class CsvLoadOptionsValidator : IValidateOptions<CsvLoadOptions>;

/// <summary>The rules between settings of <see cref="CsvLoadOptions"/> that data annotations cannot state.</summary>
internal sealed class CsvLoadOptionsConsistencyValidator : IValidateOptions<CsvLoadOptions>
{
    public ValidateOptionsResult Validate(string? name, CsvLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = string.IsNullOrEmpty(name) ? nameof(CsvLoadOptions) : name;
        var builder = new ValidateOptionsResultBuilder();
        if (options.PositiveValue is not null && options.Threshold is not null)
        {
            builder.AddError($"{prefix}.{nameof(options.PositiveValue)} and {prefix}.{nameof(options.Threshold)} cannot both be set.");
        }

        if ((options.PositiveValue is not null || options.Threshold is not null) && options.LabelColumn is null)
        {
            builder.AddError($"{prefix}.{nameof(options.PositiveValue)} and {prefix}.{nameof(options.Threshold)} need a {prefix}.{nameof(options.LabelColumn)}.");
        }

        if (options.GradedLabels && (options.PositiveValue is not null || options.Threshold is not null))
        {
            builder.AddError($"{prefix}.{nameof(options.GradedLabels)} cannot be combined with {prefix}.{nameof(options.PositiveValue)} or {prefix}.{nameof(options.Threshold)}.");
        }

        if (options.LabelColumn is { } label && (label == options.TimeColumn || options.Drop.Contains(label) || options.HistoryKeys.Contains(label)))
        {
            builder.AddError($"{prefix}.{nameof(options.LabelColumn)} '{label}' cannot also be the time column, a dropped column or a history key.");
        }

        return builder.Build();
    }
}
