namespace PatternQuality.Storage;

/// <summary>
/// Thrown when a file in a model store is damaged: a truncated or altered model file (its checksum does not match),
/// a file that is not a PatternQuality model, or a manifest that is not valid. The message names the file and what is wrong.
/// </summary>
/// <remarks>The store changes nothing when it throws this: the active version stays as it was.</remarks>
public sealed class ModelStoreCorruptedException : PatternQualityException
{
    /// <summary>Initializes a new instance of the <see cref="ModelStoreCorruptedException"/> class.</summary>
    /// <param name="filePath">The damaged file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="innerException">The exception that revealed the damage, if any.</param>
    public ModelStoreCorruptedException(string filePath, string problem, Exception? innerException = null)
        : base($"The model store file '{filePath}' is corrupted: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Gets the path of the damaged file.</summary>
    public string FilePath { get; }

    /// <summary>Gets what is wrong with the file.</summary>
    public string Problem { get; }
}
