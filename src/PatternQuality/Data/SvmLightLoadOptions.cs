using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Data;

/// <summary>How <see cref="SvmLightLoader"/> reads a sparse SVMlight / LibSVM file.</summary>
public class SvmLightLoadOptions
{
    /// <summary>Gets or sets the query file: one group size per line, in row order (as LightGBM's <c>.query</c> files).</summary>
    /// <value>The default value is <see langword="null"/>: no query groups, unless the rows carry <c>qid:</c> tokens.</value>
    public string? QueryFile { get; set; }

    /// <summary>Gets or sets the number of features, so a training and a test file get the same schema.</summary>
    /// <value>The default value is <see langword="null"/>: the largest feature index in the file. Allowed range: 1 to 10,000,000.</value>
    [Range(1, 10_000_000)]
    public int? FeatureCount { get; set; }

    /// <summary>Gets or sets the largest feature index accepted when <see cref="FeatureCount"/> is not set.</summary>
    /// <value>The default value is 100,000. Allowed range: 1 to 10,000,000.</value>
    /// <remarks>
    /// The dataset is dense, one column per index up to the largest: a single stray index such as 100,000,000 would
    /// otherwise ask for that many columns of every row. A larger index is an error naming its line.
    /// </remarks>
    [Range(1, 10_000_000)]
    public int MaxFeatureCount { get; set; } = 100_000;

    /// <summary>Gets or sets a threshold that turns graded labels into 0/1 (label &gt;= threshold is approved).</summary>
    /// <value>The default value is <see langword="null"/>: labels are kept as given (graded relevance for ranking).</value>
    [Finite]
    public double? LabelThreshold { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="SvmLightLoadOptionsValidator"/>, generated from the data annotations above, as <see cref="SvmLightLoader.Load"/> does.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new SvmLightLoadOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="SvmLightLoadOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class SvmLightLoadOptionsValidator : IValidateOptions<SvmLightLoadOptions>;
