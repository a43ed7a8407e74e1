namespace PatternQuality.Storage.Internal;

/// <summary>
/// Thrown by a test's fault injector to stand for a process that dies mid-save: the store skips its clean-up on
/// this exception, so the files are left exactly as a crash would leave them.
/// </summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("Simulated crash.")
    {
    }

    public SimulatedCrashException(string message)
        : base(message)
    {
    }

    public SimulatedCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
