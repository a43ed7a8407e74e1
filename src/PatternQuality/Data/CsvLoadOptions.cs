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

    /// <summary>Gets or sets a value indicating whether the label column holds class names (any number of classes) instead of approve/reject.</summary>
    /// <value>The default value is <see langword="false"/>: labels are 0/1.</value>
    /// <remarks>
    /// Each row's label becomes the index of its class in <see cref="ClassNames"/> (or, when that list is empty, in
    /// the distinct values of the label column: in numeric order when every value is a number, else in ordinal
    /// order); the loader returns the names in <c>CsvLoadResult.ClassNames</c>. Cannot be combined
    /// with <see cref="PositiveValue"/>, <see cref="Threshold"/> or <see cref="HistoryKeys"/> (history features learn
    /// approval rates, which need 0/1 labels).
    /// </remarks>
    public bool Multiclass { get; set; }

    /// <summary>Gets the class names of a <see cref="Multiclass"/> label, in class-index order.</summary>
    /// <value>The default value is an empty list: the classes are the label column's distinct values.</value>
    /// <remarks>Set it to the training file's classes when loading a test file, so both files number the classes alike; a label not in the list is then an error.</remarks>
    public IList<string> ClassNames { get; } = [];

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

        if (options.GradedLabels && options.Multiclass)
        {
            builder.AddError($"{prefix}.{nameof(options.GradedLabels)} and {prefix}.{nameof(options.Multiclass)} cannot both be set.");
        }

        if (options.Multiclass && (options.PositiveValue is not null || options.Threshold is not null))
        {
            builder.AddError($"{prefix}.{nameof(options.Multiclass)} reads class names; it cannot be combined with {prefix}.{nameof(options.PositiveValue)} or {prefix}.{nameof(options.Threshold)}.");
        }

        if (options.Multiclass && options.HistoryKeys.Count > 0)
        {
            builder.AddError($"{prefix}.{nameof(options.Multiclass)} cannot be combined with {prefix}.{nameof(options.HistoryKeys)}: history features learn approval rates from 0/1 labels.");
        }

        if (options.ClassNames.Count > 0 && !options.Multiclass)
        {
            builder.AddError($"{prefix}.{nameof(options.ClassNames)} needs {prefix}.{nameof(options.Multiclass)}.");
        }

        if (options.ClassNames.Count is > 0 and < 2 || options.ClassNames.Distinct(StringComparer.Ordinal).Count() != options.ClassNames.Count || options.ClassNames.Any(string.IsNullOrWhiteSpace))
        {
            builder.AddError($"{prefix}.{nameof(options.ClassNames)} must list at least two distinct, non-empty names (or none, to read them from the file).");
        }

        if (options.LabelColumn is { } label && (label == options.TimeColumn || options.Drop.Contains(label) || options.HistoryKeys.Contains(label)))
        {
            builder.AddError($"{prefix}.{nameof(options.LabelColumn)} '{label}' cannot also be the time column, a dropped column or a history key.");
        }

        return builder.Build();
    }
}
