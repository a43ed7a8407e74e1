namespace PatternQuality.Data;

/// <summary>
/// Thrown when feature vectors laid out by one schema meet a model trained on another. The message names each
/// differing feature.
/// </summary>
public sealed class SchemaMismatchException : PatternQualityException
{
    /// <summary>Initializes a new instance of the <see cref="SchemaMismatchException"/> class.</summary>
    /// <param name="expectedHash">The hash of the schema the model was trained on.</param>
    /// <param name="actualHash">The hash of the schema that was offered.</param>
    /// <param name="differences">The differences, one line each.</param>
    public SchemaMismatchException(string expectedHash, string actualHash, IReadOnlyList<string> differences)
        : base(BuildMessage(expectedHash, actualHash, differences))
    {
        ExpectedHash = expectedHash;
        ActualHash = actualHash;
        Differences = differences ?? [];
    }

    /// <summary>Gets the hash of the schema the model expects.</summary>
    public string ExpectedHash { get; }

    /// <summary>Gets the hash of the schema that was offered.</summary>
    public string ActualHash { get; }

    /// <summary>Gets the differences, one line each.</summary>
    public IReadOnlyList<string> Differences { get; }

    private static string BuildMessage(string expectedHash, string actualHash, IReadOnlyList<string>? differences)
    {
        var head = $"The feature schema does not match the model's (expected {Short(expectedHash)}, got {Short(actualHash)})";
        return differences is { Count: > 0 } ? head + ": " + string.Join("; ", differences) + "." : head + ".";
    }

    private static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "(none)";
}
