namespace PatternQuality.Versioning.Internal;

/// <summary>
/// A small, fast, seeded generator (SplitMix64) for the bootstrap. <see cref="Random"/> with a seed falls back to its
/// legacy algorithm, which made resampling the slowest part of a bootstrap decision; this one also gives the same
/// sequence on every runtime version, so a recorded decision can be reproduced.
/// </summary>
internal struct SplitMixRandom(int seed)
{
    private ulong _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), by multiply-shift (bias below 2^-32 per draw, negligible here).</summary>
    public int Next(int bound) => (int)(((ulong)(uint)(NextUInt64() >> 32) * (ulong)bound) >> 32);

    private ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
