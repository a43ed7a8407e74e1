using System.Buffers;

namespace PatternQuality.Data.Internal;

/// <summary>The buffer growth the streaming readers share: rent twice the size, keep what is filled, return the old one.</summary>
internal static class PooledChars
{
    /// <summary>Replaces <paramref name="buffer"/> with a pooled one twice as large holding its first <paramref name="length"/> characters.</summary>
    public static void Grow(ref char[] buffer, int length)
    {
        var bigger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(buffer);
        buffer = bigger;
    }
}
