namespace PatternQuality.Trees.Internal;

/// <summary>
/// Which rows sit in which leaf: every leaf's rows are one contiguous range of a single index array (FastTree's
/// DataPartition), so building a leaf's histogram reads its rows in order and splitting a leaf touches only its range.
/// </summary>
/// <remarks>A split is stable: rows keep their relative order on both sides, so sums over a leaf's rows always run in ascending row order.</remarks>
internal sealed class LeafPartition
{
    private readonly int[] _indices;
    private readonly int[] _scratch;
    private readonly int[] _begin;
    private readonly int[] _count;

    public LeafPartition(int rowCount, int maxLeaves)
    {
        _indices = new int[rowCount];
        _scratch = new int[rowCount];
        _begin = new int[maxLeaves];
        _count = new int[maxLeaves];
    }

    /// <summary>Gets the index array that holds every leaf's range (for work split across threads, which cannot share spans).</summary>
    public int[] Indices => _indices;

    /// <summary>Puts <paramref name="rows"/> into leaf 0, the only leaf.</summary>
    public void Reset(ReadOnlySpan<int> rows)
    {
        if (rows.Length > _indices.Length)
        {
            throw new ArgumentException($"{rows.Length} rows do not fit a partition of {_indices.Length}.", nameof(rows));
        }

        rows.CopyTo(_indices);
        _begin[0] = 0;
        _count[0] = rows.Length;
    }

    public int Begin(int leaf) => _begin[leaf];

    public int Count(int leaf) => _count[leaf];

    public ReadOnlySpan<int> Rows(int leaf) => _indices.AsSpan(_begin[leaf], _count[leaf]);

    /// <summary>
    /// Splits <paramref name="leaf"/>: its rows whose bin in <paramref name="column"/> goes left stay in it, the rest
    /// move to <paramref name="newLeaf"/>, right after them.
    /// </summary>
    /// <param name="leaf">The leaf to split; it becomes the left child.</param>
    /// <param name="newLeaf">The right child (a leaf index not in use).</param>
    /// <param name="column">The split feature's bin of every row of the dataset.</param>
    /// <param name="goesLeft">Whether each bin goes left.</param>
    /// <returns>How many rows went left.</returns>
    public int Split(int leaf, int newLeaf, ReadOnlySpan<byte> column, ReadOnlySpan<bool> goesLeft)
    {
        var begin = _begin[leaf];
        var count = _count[leaf];
        var nl = 0;
        var nr = 0;
        for (var i = begin; i < begin + count; i++)
        {
            var r = _indices[i];
            if (goesLeft[column[r]])
            {
                _indices[begin + nl++] = r;
            }
            else
            {
                _scratch[nr++] = r;
            }
        }

        Array.Copy(_scratch, 0, _indices, begin + nl, nr);
        _count[leaf] = nl;
        _begin[newLeaf] = begin + nl;
        _count[newLeaf] = nr;
        return nl;
    }
}
