using System.Security.Cryptography;
using System.Text;

namespace PatternQuality.Experiments.Internal;

/// <summary>
/// A hash of strings that is the same in every process, on every machine and in every .NET version: SHA-256 of the
/// UTF-8 parts joined by a separator, first 8 bytes as a fraction in [0, 1). Never string.GetHashCode, which is
/// randomised per process, so assignments would change on every restart.
/// </summary>
internal static class StableHash
{
    public static double Unit(string a, string b, string c)
    {
        var text = string.Concat(a, "\u001f", b, "\u001f", c);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer[..length], digest);
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest);

        // The top 53 bits make an exactly representable double in [0, 1).
        return (bits >> 11) * (1.0 / (1UL << 53));
    }
}
