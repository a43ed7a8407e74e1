using PatternQuality.Data;
using PatternQuality.Validation.Internal;

namespace PatternQuality.Validation;

/// <summary>Holdout splits: stratified random, and temporal (train on the past, test on the future).</summary>
public static class DataSplitter
{
    /// <summary>
    /// Holds out a random share of the rows, taken label by label so both parts keep the label mix.
    /// </summary>
    /// <param name="dataset">The rows to split.</param>
    /// <param name="testFraction">The share of rows to test on, strictly between 0 and 1.</param>
    /// <param name="seed">The shuffling seed; the same seed gives the same split.</param>
    /// <returns>The split; rows keep their original order within each part.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">The dataset has fewer than 2 rows.</exception>
    public static DataSplit StratifiedHoldout(Dataset dataset, double testFraction = 0.2, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        CheckFraction(testFraction, dataset.RowCount);
        var labels = dataset.Labels.Span;
        var byLabel = new SortedDictionary<float, List<int>>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (!byLabel.TryGetValue(labels[i], out var list))
            {
                byLabel[labels[i]] = list = [];
            }

            list.Add(i);
        }

        var random = new Random(seed);
        var isTest = new bool[dataset.RowCount];
        var testCount = 0;
        foreach (var rows in byLabel.Values)
        {
            var shuffled = rows.ToArray();
            FoldBuilder.Shuffle(shuffled, random);
            var take = (int)Math.Round(shuffled.Length * testFraction, MidpointRounding.AwayFromZero);
            for (var j = 0; j < take; j++)
            {
                isTest[shuffled[j]] = true;
            }

            testCount += take;
        }

        // Tiny or very lopsided data can round every stratum to zero (or to everything); keep both parts non-empty.
        if (testCount == 0)
        {
            isTest[random.Next(dataset.RowCount)] = true;
        }
        else if (testCount == dataset.RowCount)
        {
            isTest[random.Next(dataset.RowCount)] = false;
        }

        return Build(dataset, isTest, null);
    }

    /// <summary>
    /// Tests on the latest rows and trains on the earlier ones: by <see cref="Dataset.Timestamps"/> when present (rows
    /// sharing the cutoff time all go to the test part, so training is strictly earlier), otherwise by row order.
    /// </summary>
    /// <param name="dataset">The rows to split.</param>
    /// <param name="testFraction">The share of rows to test on, strictly between 0 and 1.</param>
    /// <returns>The split, with <see cref="DataSplit.CutoffTimestamp"/> set when timestamps were used.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">The dataset has fewer than 2 rows, or every row has the same timestamp.</exception>
    public static DataSplit TemporalHoldout(Dataset dataset, double testFraction = 0.2)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        CheckFraction(testFraction, dataset.RowCount);
        var n = dataset.RowCount;
        var testCount = Math.Clamp((int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero), 1, n - 1);
        var isTest = new bool[n];
        // No timestamps (or an empty data set): fall back to row order.
        if (dataset.Timestamps is not { Length: > 0 } ts)
        {
            for (var i = n - testCount; i < n; i++)
            {
                isTest[i] = true;
            }

            return Build(dataset, isTest, null);
        }

        var times = ts.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => times[a] != times[b] ? times[a].CompareTo(times[b]) : a.CompareTo(b));
        var cutoff = times[order[n - testCount]];
        if (times[order[0]] >= cutoff)
        {
            throw new ArgumentException($"Every row has timestamp {cutoff}; a temporal split needs rows from before the test period.", nameof(dataset));
        }

        for (var i = 0; i < n; i++)
        {
            isTest[i] = times[i] >= cutoff;
        }

        return Build(dataset, isTest, cutoff);
    }

    private static DataSplit Build(Dataset dataset, bool[] isTest, long? cutoff)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (var i = 0; i < isTest.Length; i++)
        {
            (isTest[i] ? test : train).Add(i);
        }

        var trainRows = train.ToArray();
        var testRows = test.ToArray();
        return new DataSplit(dataset.Select(trainRows), dataset.Select(testRows), trainRows, testRows, cutoff);
    }

    private static void CheckFraction(double testFraction, int rows)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be strictly between 0 and 1.");
        }

        if (rows < 2)
        {
            throw new ArgumentException($"A holdout split needs at least 2 rows; the dataset has {rows}.", "dataset");
        }
    }
}
