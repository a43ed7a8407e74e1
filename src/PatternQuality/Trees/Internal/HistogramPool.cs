namespace PatternQuality.Trees.Internal;

/// <summary>
/// The histogram buffers of the open leaves (gradient, hessian and count per bin of every feature), from a bounded
/// pool so memory stays fixed however many leaves a tree has.
/// </summary>
/// <remarks>
/// When the pool is exhausted, the open leaf least likely to be split soon (smallest pending gain) loses its buffer;
/// its children are later built from rows instead of by subtraction. The eviction order is deterministic.
/// </remarks>
internal sealed class HistogramPool
{
    /// <summary>The memory all of one grower's buffers may take.</summary>
    public const int PoolBytes = 32 << 20;

    private readonly double[]?[] _leafBuffers;
    private readonly Stack<double[]> _free = new();
    private readonly int _bufferLength;
    private int _allocated;

    public HistogramPool(int totalBinCount, int maxLeaves, int poolBytes = PoolBytes)
    {
        _bufferLength = totalBinCount * 3;
        _leafBuffers = new double[maxLeaves][];
        var bufferBytes = Math.Max(1L, (long)totalBinCount * 3 * sizeof(double));
        Capacity = (int)Math.Clamp(poolBytes / bufferBytes, 3, maxLeaves + 1);
    }

    /// <summary>Gets how many buffers the pool allocates at most.</summary>
    public int Capacity { get; }

    /// <summary>Gets the buffer held by <paramref name="leaf"/>, or null.</summary>
    public double[]? Get(int leaf) => _leafBuffers[leaf];

    /// <summary>Gives <paramref name="buffer"/> to <paramref name="leaf"/>.</summary>
    public void Assign(int leaf, double[] buffer) => _leafBuffers[leaf] = buffer;

    /// <summary>Takes the buffer away from <paramref name="leaf"/> without returning it to the pool.</summary>
    public double[]? Detach(int leaf)
    {
        var buffer = _leafBuffers[leaf];
        _leafBuffers[leaf] = null;
        return buffer;
    }

    /// <summary>Returns the buffer of <paramref name="leaf"/>, if any, to the pool.</summary>
    public void Release(int leaf)
    {
        if (Detach(leaf) is { } buffer)
        {
            _free.Push(buffer);
        }
    }

    /// <summary>Returns a buffer no leaf holds to the pool.</summary>
    public void Return(double[] buffer) => _free.Push(buffer);

    /// <summary>Forgets every leaf's buffer (a new tree starts; the leaves of the last one have released theirs).</summary>
    public void ForgetLeaves() => Array.Clear(_leafBuffers);

    /// <summary>Returns a free buffer (contents undefined), allocating or evicting one if needed.</summary>
    /// <param name="exceptLeaf">A leaf that must keep its buffer, or -1.</param>
    /// <param name="pending">Each leaf's best pending split, which decides the eviction victim.</param>
    public double[] Take(int exceptLeaf, ReadOnlySpan<SplitInfo?> pending)
    {
        if (_free.Count > 0)
        {
            return _free.Pop();
        }

        if (_allocated < Capacity)
        {
            _allocated++;
            return new double[_bufferLength];
        }

        // Evict the open leaf with the smallest pending gain (the last to be split); ties go to the highest index.
        var victim = -1;
        for (var l = 0; l < _leafBuffers.Length; l++)
        {
            if (l != exceptLeaf && _leafBuffers[l] is not null
                && (victim < 0 || (pending[l]?.Gain ?? double.NegativeInfinity) <= (pending[victim]?.Gain ?? double.NegativeInfinity)))
            {
                victim = l;
            }
        }

        if (victim < 0)
        {
            throw new InvalidOperationException($"All {Capacity} histogram buffers are in use by no leaf; a buffer was not returned.");
        }

        return Detach(victim)!;
    }
}
