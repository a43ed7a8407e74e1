namespace PatternQuality.Storage;

/// <summary>Options for <see cref="FileSystemModelStore"/>.</summary>
public class FileSystemModelStoreOptions
{
    /// <summary>Gets or sets the directory that holds the manifest and the model files.</summary>
    /// <value>The default value is an empty string, which is invalid: a directory must be set.</value>
    /// <remarks>
    /// A relative path is resolved against the current directory when the store is created. The store keeps
    /// <c>manifest.json</c>, a <c>.lock</c> file and a <c>models/</c> folder inside it.
    /// </remarks>
    public string Directory { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether a missing directory is created on the first save.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// The directory is only created when its parent exists, so a mistyped path or an unmounted volume fails with a
    /// <see cref="ModelStoreAccessException"/> instead of silently starting an empty store somewhere else. While the
    /// directory does not exist, the store reads as empty.
    /// </remarks>
    public bool CreateDirectoryIfMissing { get; set; } = true;

    /// <summary>Gets or sets how long a write waits for another writer (in this or another process) to release the lock.</summary>
    /// <value>The default value is 30 seconds.</value>
    /// <remarks>Must be between 0 (try once) and 10 minutes.</remarks>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the allowed range.</exception>
    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add($"{nameof(FileSystemModelStoreOptions)}.{nameof(Directory)} must be set to the store's directory.");
        }
        else if (Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{nameof(FileSystemModelStoreOptions)}.{nameof(Directory)} '{Directory}' contains characters that are invalid in a path.");
        }

        if (LockTimeout < TimeSpan.Zero || LockTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{nameof(FileSystemModelStoreOptions)}.{nameof(LockTimeout)} is {LockTimeout}; it must be between 00:00:00 and 00:10:00.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }
}
