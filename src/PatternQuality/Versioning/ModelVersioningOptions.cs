namespace PatternQuality.Versioning;

/// <summary>Options for <see cref="ModelVersionManager"/>.</summary>
public class ModelVersioningOptions
{
    /// <summary>Gets or sets how many of the newest versions retention keeps, besides pinned, aliased and active ones.</summary>
    /// <value>The default value is 10.</value>
    /// <remarks>Must be between 1 and 100000. Retention also keeps the active version's rollback target.</remarks>
    public int RetainCount { get; set; } = 10;

    /// <summary>Gets or sets a value indicating whether every save runs <see cref="ModelVersionManager.ApplyRetentionAsync"/> afterwards.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApplyRetentionOnSave { get; set; } = true;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the allowed range.</exception>
    internal void Validate()
    {
        if (RetainCount is < 1 or > 100_000)
        {
            throw new ArgumentException($"{nameof(ModelVersioningOptions)}.{nameof(RetainCount)} is {RetainCount}; it must be between 1 and 100000.", "options");
        }
    }
}
