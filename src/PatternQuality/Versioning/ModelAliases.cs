namespace PatternQuality.Versioning;

/// <summary>The aliases the version manager maintains itself (in the style of MLflow's model aliases).</summary>
public static class ModelAliases
{
    /// <summary>The active version: the one the host serves. Moved by activation, promotion and rollback only.</summary>
    public const string Champion = "champion";

    /// <summary>The newest candidate that the quality gate rejected, kept for inspection and a later promotion.</summary>
    public const string Challenger = "challenger";
}
