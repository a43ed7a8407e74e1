using PatternQuality.Data;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// The bins of a ring buffer of rows (the online learner's replay window), kept between updates so that most updates
/// skip sorting every feature. Bounds are cut from the whole window and reused until the window has turned over once,
/// or until a row brings a value outside the range they were cut from (a drifting feature): such a value would land in
/// an edge bin with older values and could not be split from them.
/// </summary>
/// <remarks>Not thread-safe: the caller serializes stores, re-binning and reads (the learner's update gate does).</remarks>
internal sealed class BinnedWindow
{
    private readonly int _capacity;
    private readonly int _featureCount;
    private readonly byte[] _rowBins;
    private readonly float[] _min;
    private readonly float[] _max;
    private FeatureBins[]? _bins;
    private bool _outside;
    private int _rowsSinceRebin;

    /// <summary>Initializes a new instance of the <see cref="BinnedWindow"/> class.</summary>
    /// <param name="capacity">The ring buffer's number of slots.</param>
    /// <param name="featureCount">The number of features per row.</param>
    public BinnedWindow(int capacity, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        _capacity = capacity;
        _featureCount = featureCount;
        _rowBins = new byte[(long)capacity * featureCount];
        _min = new float[featureCount];
        _max = new float[featureCount];
    }

    /// <summary>Gets a value indicating whether the bounds must be cut again before the next read.</summary>
    public bool RebinDue => _bins is null || _outside || _rowsSinceRebin >= _capacity;

    /// <summary>Bins a row just stored in <paramref name="slot"/> with the current bounds (nothing before the first <see cref="Rebin"/>).</summary>
    public void Store(int slot, ReadOnlySpan<float> row)
    {
        if (_bins is null)
        {
            return;
        }

        var bins = _rowBins.AsSpan(slot * _featureCount, _featureCount);
        for (var j = 0; j < bins.Length; j++)
        {
            var v = row[j];
            bins[j] = (byte)_bins[j].BinOf(v);
            _outside |= v < _min[j] || v > _max[j];
        }

        _rowsSinceRebin++;
    }

    /// <summary>Cuts the bounds from <paramref name="window"/> (its row i is in slot (<paramref name="start"/> + i) mod capacity) and bins every row.</summary>
    public void Rebin(BoostingSession session, Dataset window, int start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(window);
        var built = session.Bin(window, cancellationToken);
        _bins = built.Features;
        Array.Fill(_min, float.PositiveInfinity);
        Array.Fill(_max, float.NegativeInfinity);
        var count = window.RowCount;
        var features = window.Features.Span;
        for (var i = 0; i < count; i++)
        {
            var s = (start + i) % _capacity;
            for (var j = 0; j < _featureCount; j++)
            {
                _rowBins[(s * _featureCount) + j] = built.Bins[((long)j * count) + i];
                var v = features[(i * _featureCount) + j];
                if (!float.IsNaN(v))
                {
                    _min[j] = Math.Min(_min[j], v);
                    _max[j] = Math.Max(_max[j], v);
                }
            }
        }

        _rowsSinceRebin = 0;
        _outside = false;
    }

    /// <summary>The first <paramref name="count"/> rows from slot <paramref name="start"/>, column-major, for boosting.</summary>
    internal BinnedDataset Rows(int count, int start)
    {
        var bins = _bins ?? throw new InvalidOperationException("The window has not been binned yet; call Rebin first.");
        var columns = new byte[(long)count * _featureCount];
        for (var i = 0; i < count; i++)
        {
            var s = ((start + i) % _capacity) * _featureCount;
            for (var j = 0; j < _featureCount; j++)
            {
                columns[((long)j * count) + i] = _rowBins[s + j];
            }
        }

        return BinnedDataset.FromBins(count, bins, columns);
    }
}
