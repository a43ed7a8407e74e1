using System.Numerics;

namespace PatternQuality.Internal;

/// <summary>
/// Counts the distinct values of a number column in bounded memory: exactly up to <see cref="ExactLimit"/> (131,072) values (a 3 MB set at most), then
/// with a HyperLogLog sketch of 2^16 one-byte registers (64 KB, standard error about 0.4 %).
/// </summary>
/// <remarks>
/// An inspection used to keep a hash set of every distinct value, a million entries (tens of MB, rebuilt per column) for
/// a column of measurements, only to print one number. Columns with few values, the ones where the exact count
/// matters (a rating, a flag, a category code), stay exact. The result is deterministic: the same values in any order
/// give the same count. 0 and -0 are one value, as <see cref="double.Equals(double)"/> says.
/// </remarks>
internal sealed class DistinctCounter
{
    /// <summary>Up to this many distinct values the count is exact.</summary>
    public const int ExactLimit = 1 << 17;

    private const int RegisterBits = 16;
    private const int RegisterCount = 1 << RegisterBits;

    private readonly HashSet<long> _exact = [];
    private byte[]? _registers;
    private bool _sketching;
    private long _added;

    /// <summary>Gets whether the count is still exact.</summary>
    public bool IsExact => !_sketching;

    /// <summary>Forgets every value, keeping the memory for the next column (a million-row inspection then allocates once, not per column).</summary>
    public void Clear()
    {
        _added = 0;
        _sketching = false;
        _exact.Clear();
        if (_registers is not null)
        {
            Array.Clear(_registers);
        }
    }

    /// <summary>Adds a value (not NaN).</summary>
    public void Add(double value)
    {
        // 0 and -0 compare equal; count them once.
        var bits = value == 0 ? 0L : BitConverter.DoubleToInt64Bits(value);
        _added++;
        if (!_sketching)
        {
            if (_exact.Add(bits) && _exact.Count > ExactLimit)
            {
                _registers ??= new byte[RegisterCount];
                foreach (var b in _exact)
                {
                    AddToSketch(b);
                }

                // Cleared, not dropped: the next column reuses its memory.
                _exact.Clear();
                _sketching = true;
            }

            return;
        }

        AddToSketch(bits);
    }

    /// <summary>Gets the number of distinct values added: exact up to <see cref="ExactLimit"/>, estimated above.</summary>
    public int Count
    {
        get
        {
            if (!_sketching)
            {
                return _exact.Count;
            }

            // HyperLogLog (Flajolet et al. 2007) with linear counting for the small range, where it is more accurate.
            var registers = _registers!;
            double sum = 0;
            var zeros = 0;
            foreach (var r in registers)
            {
                sum += Math.ScaleB(1.0, -r);
                zeros += r == 0 ? 1 : 0;
            }

            const double m = RegisterCount;
            var estimate = 0.7213 / (1 + (1.079 / m)) * m * m / sum;
            if (estimate <= 2.5 * m && zeros > 0)
            {
                estimate = m * Math.Log(m / zeros);
            }

            // More than the exact limit were seen for certain, and never more than the values added.
            return (int)Math.Clamp(Math.Round(estimate), ExactLimit + 1, Math.Min(_added, int.MaxValue));
        }
    }

    private void AddToSketch(long bits)
    {
        var h = Mix((ulong)bits);
        var index = (int)(h >> (64 - RegisterBits));
        var rank = (byte)(BitOperations.LeadingZeroCount((h << RegisterBits) | (1UL << (RegisterBits - 1))) + 1);
        if (rank > _registers![index])
        {
            _registers[index] = rank;
        }
    }

    // SplitMix64's finalizer: every input bit moves every output bit, so neighbouring values land in unrelated registers.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
