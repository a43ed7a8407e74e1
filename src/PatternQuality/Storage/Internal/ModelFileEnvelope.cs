using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PatternQuality.Storage.Internal;

/// <summary>
/// The few bytes the file-system store wraps around a model's bytes, so that it can verify every load on its own,
/// whatever the model format inside.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic <c>PQMF</c> (4 bytes), written format version (uint16), oldest reader version that
/// can read it (uint16), content length (int64), SHA-256 of the content (32 bytes), content.
/// Version history:
///   1: first format.
/// </remarks>
internal static class ModelFileEnvelope
{
    internal const ushort WrittenVersion = 1;
    internal const ushort ReadableVersion = 1;
    internal const int HeaderLength = 4 + 2 + 2 + 8 + HashLength;
    private const int HashLength = 32;

    private static ReadOnlySpan<byte> Magic => "PQMF"u8;

    /// <summary>Builds the envelope bytes (header plus content).</summary>
    internal static byte[] Wrap(ReadOnlySpan<byte> content, out string sha256)
    {
        var file = new byte[HeaderLength + content.Length];
        var span = file.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], WrittenVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], ReadableVersion);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], content.Length);
        SHA256.HashData(content, span.Slice(16, HashLength));
        content.CopyTo(span[HeaderLength..]);
        sha256 = Convert.ToHexStringLower(span.Slice(16, HashLength));
        return file;
    }

    /// <summary>Checks the envelope and returns the content.</summary>
    /// <param name="file">The file's bytes.</param>
    /// <param name="path">The file's path, to name in errors.</param>
    /// <param name="expectedSha256">The checksum the manifest recorded, or <see langword="null"/>.</param>
    /// <exception cref="ModelStoreCorruptedException">The file is not an envelope, is truncated, or its checksum does not match.</exception>
    internal static ReadOnlyMemory<byte> Unwrap(byte[] file, string path, string? expectedSha256)
    {
        if (file.Length < HeaderLength)
        {
            throw new ModelStoreCorruptedException(path, $"it is {file.Length} bytes long, shorter than the {HeaderLength}-byte header (truncated).");
        }

        var span = file.AsSpan();
        if (!span[..4].SequenceEqual(Magic))
        {
            throw new ModelStoreCorruptedException(path, "it does not start with the PatternQuality model file signature 'PQMF'.");
        }

        var written = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
        var readable = BinaryPrimitives.ReadUInt16LittleEndian(span[6..]);
        if (readable > WrittenVersion)
        {
            throw new ModelStoreCorruptedException(path, $"it was written in store format {written}, which needs a reader of format {readable} or newer; this library reads format {WrittenVersion}. Upgrade the library.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        var actualLength = file.Length - HeaderLength;
        if (length != actualLength)
        {
            throw new ModelStoreCorruptedException(
                path,
                length > actualLength
                    ? $"it is truncated: the header announces {length} content bytes but only {actualLength} are present."
                    : $"it has {actualLength} content bytes but the header announces {length}.");
        }

        var content = span[HeaderLength..];
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(content, hash);
        if (!hash.SequenceEqual(span.Slice(16, HashLength)))
        {
            throw new ModelStoreCorruptedException(path, "the SHA-256 checksum of its content does not match the one in its header (the file was altered or damaged).");
        }

        if (expectedSha256 is not null && !string.Equals(Convert.ToHexStringLower(hash), expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelStoreCorruptedException(path, "its content is intact but is not the model the manifest recorded for this version (SHA-256 differs); the file was replaced.");
        }

        return file.AsMemory(HeaderLength);
    }
}
