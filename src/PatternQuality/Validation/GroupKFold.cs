using PatternQuality.Validation.Internal;

namespace PatternQuality.Validation;

/// <summary>
/// K-fold split that keeps every group (user) wholly inside one fold, so a model is never tested on a user it has
/// trained on. Groups are placed largest first into the fold with the fewest rows so far (as scikit-learn's
/// <c>GroupKFold</c>); the split does not depend on a seed.
/// </summary>
public sealed class GroupKFold
{
    private readonly int _folds;

    /// <summary>Initializes a new splitter.</summary>
    /// <param name="folds">The number of folds, 2 to 1000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="folds"/> is out of range.</exception>
    public GroupKFold(int folds = 5)
    {
        FoldBuilder.CheckFolds(folds, int.MaxValue);
        _folds = folds;
    }

    /// <summary>Splits rows by their group keys.</summary>
    /// <param name="groups">One key per row; a null key makes the row a group of its own.</param>
    /// <returns>The folds.</returns>
    /// <exception cref="ArgumentException">There are fewer distinct groups than folds.</exception>
    public IReadOnlyList<Fold> Split(IReadOnlyList<string?> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var rowsOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            // A key no real group can have: a NUL prefix plus the row number.
            var key = groups[i] ?? $"\0row{i}";
            if (!rowsOf.TryGetValue(key, out var list))
            {
                rowsOf[key] = list = [];
            }

            list.Add(i);
        }

        if (rowsOf.Count < _folds)
        {
            throw new ArgumentException($"There are {rowsOf.Count} distinct groups, fewer than the {_folds} folds requested.", nameof(groups));
        }

        var ordered = rowsOf.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal);
        var size = new int[_folds];
        var foldOfRow = new int[groups.Count];
        foreach (var (_, rows) in ordered)
        {
            var target = 0;
            for (var f = 1; f < _folds; f++)
            {
                if (size[f] < size[target])
                {
                    target = f;
                }
            }

            size[target] += rows.Count;
            foreach (var r in rows)
            {
                foldOfRow[r] = target;
            }
        }

        return FoldBuilder.FromAssignment(foldOfRow, _folds);
    }
}
