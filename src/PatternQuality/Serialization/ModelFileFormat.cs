namespace PatternQuality.Serialization;

/// <summary>Constants of the model file container.</summary>
/// <remarks>
/// Layout (little-endian):
/// <code>
/// magic "PQMODEL\0" (8 bytes)
/// int32 written format version, int32 minimum reader version
/// int32 section count, then per section: uint8 tag length, tag (ASCII), int32 content length, content
/// SHA-256 of every byte above (32 bytes)
/// </code>
/// Version history:
/// 1: first version (sections "schema", "trees", "options").
/// A writer that adds sections an older reader may ignore keeps the minimum reader version; one that changes the
/// meaning of existing sections raises it.
/// </remarks>
internal static class ModelFileFormat
{
    /// <summary>The version this library writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The oldest file version this library still reads.</summary>
    public const int OldestReadableVersion = 1;

    /// <summary>The length of the trailing SHA-256.</summary>
    public const int ChecksumLength = 32;

    /// <summary>The longest section tag.</summary>
    public const int MaximumTagLength = 64;

    /// <summary>Gets the magic signature that starts every file.</summary>
    public static ReadOnlySpan<byte> Magic => "PQMODEL\0"u8;

    /// <summary>The length of the fixed header: magic, two versions and the section count.</summary>
    public const int HeaderLength = 8 + 4 + 4 + 4;
}
