using PatternQuality.Validation.Internal;

namespace PatternQuality.Validation;

/// <summary>
/// K-fold split that keeps the share of each label about the same in every fold: rows of each label are shuffled
/// with the seed and dealt to the folds in turn.
/// </summary>
public sealed class StratifiedKFold
{
    private readonly int _folds;
    private readonly int _seed;

    /// <summary>Initializes a new splitter.</summary>
    /// <param name="folds">The number of folds, 2 to 1000.</param>
    /// <param name="seed">The shuffling seed; the same seed gives the same folds.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="folds"/> is out of range.</exception>
    public StratifiedKFold(int folds = 5, int seed = 0)
    {
        FoldBuilder.CheckFolds(folds, int.MaxValue);
        _folds = folds;
        _seed = seed;
    }

    /// <summary>Splits rows by their labels.</summary>
    /// <param name="labels">One label per row (any values; each distinct value is a stratum).</param>
    /// <returns>The folds, each holding about 1/k of every label.</returns>
    /// <exception cref="ArgumentException">There are fewer rows than folds, or a label is NaN.</exception>
    public IReadOnlyList<Fold> Split(ReadOnlySpan<float> labels)
    {
        FoldBuilder.CheckFolds(_folds, labels.Length);
        var byLabel = new SortedDictionary<float, List<int>>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (float.IsNaN(labels[i]))
            {
                throw new ArgumentException($"Label of row {i} is NaN.", nameof(labels));
            }

            if (!byLabel.TryGetValue(labels[i], out var list))
            {
                byLabel[labels[i]] = list = [];
            }

            list.Add(i);
        }

        var random = new Random(_seed);
        var foldOfRow = new int[labels.Length];
        var next = 0;
        foreach (var rows in byLabel.Values)
        {
            var shuffled = rows.ToArray();
            FoldBuilder.Shuffle(shuffled, random);

            // Continue dealing where the previous label stopped, so fold sizes differ by at most one overall.
            foreach (var r in shuffled)
            {
                foldOfRow[r] = next;
                next = (next + 1) % _folds;
            }
        }

        return FoldBuilder.FromAssignment(foldOfRow, _folds);
    }
}
