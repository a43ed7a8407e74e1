using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PatternQuality.Versioning;

/// <summary>Options for <see cref="ModelVersionManager"/>.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="ModelVersioningOptionsValidator"/>, at host start-up and by the
/// manager's constructor alike.
/// </remarks>
public class ModelVersioningOptions
{
    /// <summary>Gets or sets how many of the newest versions retention keeps, besides pinned, aliased and active ones.</summary>
    /// <value>The default value is 10. Allowed: 1 to 100000.</value>
    /// <remarks>Retention also keeps the active version's rollback target.</remarks>
    [Range(1, 100_000)]
    public int RetainCount { get; set; } = 10;

    /// <summary>Gets or sets a value indicating whether every save runs <see cref="ModelVersionManager.ApplyRetentionAsync"/> afterwards.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApplyRetentionOnSave { get; set; } = true;
}

/// <summary>Checks the data annotations of <see cref="ModelVersioningOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ModelVersioningOptionsValidator : IValidateOptions<ModelVersioningOptions>;
