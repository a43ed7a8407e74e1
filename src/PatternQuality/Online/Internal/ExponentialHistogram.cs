namespace PatternQuality.Online.Internal;

/// <summary>
/// The bucket structure behind <see cref="AdwinDetector"/>: level <c>i</c> holds buckets summarizing <c>2^i</c>
/// consecutive values each (count, sum and sum of squared deviations from their own mean). When a level holds more
/// than the allowed number of buckets its two oldest merge into one bucket of the next level, so a window of W
/// values needs O(M log W) buckets.
/// </summary>
internal sealed class ExponentialHistogram
{
    private readonly int _maximumPerLevel;

    // _levels[i] holds buckets of 2^i values, oldest first. Higher levels hold older data.
    private readonly List<Queue<Bucket>> _levels = [];

    public ExponentialHistogram(int maximumPerLevel) => _maximumPerLevel = maximumPerLevel;

    public long Width { get; private set; }

    public double Sum { get; private set; }

    /// <summary>Gets the sum of squared deviations from the window mean.</summary>
    public double SquaredDeviations { get; private set; }

    public void Add(double value)
    {
        if (Width > 0)
        {
            var mean = Sum / Width;
            SquaredDeviations += Width * (value - mean) * (value - mean) / (Width + 1);
        }

        Width++;
        Sum += value;
        if (_levels.Count == 0)
        {
            _levels.Add(new Queue<Bucket>());
        }

        _levels[0].Enqueue(new Bucket(value, 0));
        for (var i = 0; i < _levels.Count && _levels[i].Count > _maximumPerLevel; i++)
        {
            var a = _levels[i].Dequeue();
            var b = _levels[i].Dequeue();
            var n = 1L << i;
            var delta = (a.Total - b.Total) / n;

            // Chan et al.'s pairwise merge of two equal-sized groups: M2 = M2a + M2b + (n*n/2n) * (meanA - meanB)^2.
            var merged = new Bucket(a.Total + b.Total, a.SquaredDeviations + b.SquaredDeviations + (n / 2.0 * delta * delta));
            if (i + 1 == _levels.Count)
            {
                _levels.Add(new Queue<Bucket>());
            }

            _levels[i + 1].Enqueue(merged);
        }
    }

    /// <summary>Drops the oldest bucket (from the highest non-empty level).</summary>
    public void RemoveOldest()
    {
        for (var i = _levels.Count - 1; i >= 0; i--)
        {
            if (_levels[i].Count == 0)
            {
                continue;
            }

            var b = _levels[i].Dequeue();
            var n = 1L << i;
            var rest = Width - n;
            if (rest == 0)
            {
                Clear();
                return;
            }

            var restSum = Sum - b.Total;
            var d = (b.Total / n) - (restSum / rest);
            SquaredDeviations = Math.Max(0, SquaredDeviations - b.SquaredDeviations - (n * (double)rest / Width * d * d));
            Width = rest;
            Sum = restSum;
            while (_levels.Count > 0 && _levels[^1].Count == 0)
            {
                _levels.RemoveAt(_levels.Count - 1);
            }

            return;
        }
    }

    /// <summary>Yields (size, total) of each bucket from the oldest to the newest.</summary>
    public IEnumerable<(long Size, double Total)> OldestFirst()
    {
        for (var i = _levels.Count - 1; i >= 0; i--)
        {
            var n = 1L << i;
            foreach (var b in _levels[i])
            {
                yield return (n, b.Total);
            }
        }
    }

    public void Clear()
    {
        _levels.Clear();
        Width = 0;
        Sum = 0;
        SquaredDeviations = 0;
    }

    private readonly record struct Bucket(double Total, double SquaredDeviations);
}
