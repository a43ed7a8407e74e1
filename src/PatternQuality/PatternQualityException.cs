namespace PatternQuality;

/// <summary>
/// The base class of every exception PatternQuality throws on purpose, so a host can catch the library's
/// own errors (bad data, a foreign model file, a schema mismatch) apart from bugs.
/// </summary>
public class PatternQualityException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PatternQualityException"/> class.</summary>
    public PatternQualityException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatternQualityException"/> class with a message.</summary>
    /// <param name="message">What went wrong, naming the file, row, column or feature involved.</param>
    public PatternQualityException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatternQualityException"/> class with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PatternQualityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
