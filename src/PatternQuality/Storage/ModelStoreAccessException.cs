namespace PatternQuality.Storage;

/// <summary>
/// Thrown when a model store's directory cannot be used: it is missing, read-only, or another writer held its lock
/// for longer than the configured timeout. The message names the directory.
/// </summary>
public sealed class ModelStoreAccessException : PatternQualityException
{
    /// <summary>Initializes a new instance of the <see cref="ModelStoreAccessException"/> class.</summary>
    /// <param name="directory">The store's directory.</param>
    /// <param name="message">What went wrong, naming the directory.</param>
    /// <param name="innerException">The operating system's error, if any.</param>
    public ModelStoreAccessException(string directory, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Directory = directory;
    }

    /// <summary>Gets the store's directory.</summary>
    public string Directory { get; }
}
