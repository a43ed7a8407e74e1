namespace PatternQuality.Serialization;

/// <summary>
/// A model file could not be read: it is not a PatternQuality model file, it was written by a newer format version,
/// it is truncated or corrupted, or a required section is missing. The message says which, and where.
/// </summary>
public sealed class ModelFormatException : PatternQualityException
{
    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class with a message.</summary>
    /// <param name="message">What is wrong with the file.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">What is wrong with the file.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
