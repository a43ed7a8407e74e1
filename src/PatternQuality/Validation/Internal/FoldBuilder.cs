namespace PatternQuality.Validation.Internal;

/// <summary>Turns a fold assignment per row into <see cref="Fold"/> records.</summary>
internal static class FoldBuilder
{
    public static IReadOnlyList<Fold> FromAssignment(int[] foldOfRow, int folds)
    {
        var result = new Fold[folds];
        for (var f = 0; f < folds; f++)
        {
            var train = new List<int>();
            var test = new List<int>();
            for (var i = 0; i < foldOfRow.Length; i++)
            {
                (foldOfRow[i] == f ? test : train).Add(i);
            }

            result[f] = new Fold(f, train, test);
        }

        return result;
    }

    public static void Shuffle(int[] items, Random random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public static void CheckFolds(int folds, int rows)
    {
        if (folds < 2 || folds > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "folds must be between 2 and 1000.");
        }

        if (rows < folds)
        {
            throw new ArgumentException($"{rows} rows cannot be split into {folds} folds; each fold needs at least one row.", nameof(rows));
        }
    }
}
