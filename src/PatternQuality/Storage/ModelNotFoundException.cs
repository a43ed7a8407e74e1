namespace PatternQuality.Storage;

/// <summary>Thrown when a model version that was asked for does not exist in the store.</summary>
public sealed class ModelNotFoundException : PatternQualityException
{
    /// <summary>Initializes a new instance of the <see cref="ModelNotFoundException"/> class.</summary>
    /// <param name="version">The version that was asked for.</param>
    /// <param name="available">The versions that do exist, to name in the message.</param>
    public ModelNotFoundException(string version, IEnumerable<string>? available = null)
        : base(BuildMessage(version, available))
    {
        Version = version;
    }

    /// <summary>Gets the version that was asked for.</summary>
    public string Version { get; }

    private static string BuildMessage(string version, IEnumerable<string>? available)
    {
        var list = available?.ToList();
        return list is null
            ? $"Model version '{version}' does not exist."
            : list.Count == 0
                ? $"Model version '{version}' does not exist: the store is empty."
                : $"Model version '{version}' does not exist. Available: {string.Join(", ", list)}.";
    }
}
