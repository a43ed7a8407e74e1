using System.Text.Json;
using PatternQuality.Serialization;

namespace PatternQuality.Interop.Internal;

/// <summary>Turns every way a foreign model file can be malformed into one documented exception.</summary>
internal static class ImportGuard
{
    /// <summary>Upper bound on the nodes of one imported tree, so a hostile file cannot make us allocate without limit.</summary>
    public const int MaxNodesPerTree = 1 << 22;

    public static T Run<T>(string format, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
            or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            // IndexOutOfRange can only come from a file whose arrays disagree in length; it is a format error, not our bug.
            throw new ModelFormatException($"The {format} model is malformed: {ex.Message}", ex);
        }
    }

    public static ModelFormatException Error(string format, string message) => new($"The {format} model is malformed: {message}");
}
