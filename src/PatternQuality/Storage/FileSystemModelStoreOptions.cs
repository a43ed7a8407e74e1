using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Storage;

/// <summary>Options for <see cref="FileSystemModelStore"/>.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="FileSystemModelStoreOptionsValidator"/> when the store is created; every
/// problem is reported in one <see cref="OptionsValidationException"/>.
/// </remarks>
public class FileSystemModelStoreOptions
{
    /// <summary>Gets or sets the directory that holds the manifest and the model files.</summary>
    /// <value>The default value is an empty string, which is invalid: a directory must be set, with no character that is invalid in a path.</value>
    /// <remarks>
    /// A relative path is resolved against the current directory when the store is created. The store keeps
    /// <c>manifest.json</c>, a <c>.lock</c> file and a <c>models/</c> folder inside it.
    /// </remarks>
    [Required(ErrorMessage = "The field {0} must be set to the store's directory.")]
    [PathCharacters]
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
    /// <value>The default value is 30 seconds. Allowed: 0 (try once) to 10 minutes.</value>
    [TimeSpanRange("00:00:00", "00:10:00")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the data annotations of <see cref="FileSystemModelStoreOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class FileSystemModelStoreOptionsValidator : IValidateOptions<FileSystemModelStoreOptions>;
