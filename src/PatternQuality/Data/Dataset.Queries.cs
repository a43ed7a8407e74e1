namespace PatternQuality.Data;

/// <summary>Ranking queries: building them from group keys and taking whole queries.</summary>
public sealed partial class Dataset
{
    /// <summary>Gets the number of ranking queries (0 when the dataset has no query boundaries).</summary>
    public int QueryCount => QueryBoundaries is { } b ? b.Count - 1 : 0;

    /// <summary>
    /// Returns the rows regrouped into ranking queries by their <see cref="Groups"/> key: the rows of one key become one
    /// query, whether or not they were contiguous. Queries follow the order in which their keys first appear, and rows
    /// keep their order within a query.
    /// </summary>
    /// <returns>A dataset with <see cref="QueryBoundaries"/> (and the group keys, reordered like the rows).</returns>
    /// <exception cref="InvalidOperationException">The dataset has no group keys.</exception>
    /// <exception cref="ArgumentException">A row has no group key (null).</exception>
    public Dataset GroupByQuery()
    {
        var keys = _groups ?? throw new InvalidOperationException(
            "The dataset has no group keys to form queries from; load it with a group column (CsvLoadOptions.GroupColumn).");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = new List<List<int>>();
        for (var r = 0; r < keys.Length; r++)
        {
            var key = keys[r] ?? throw new ArgumentException($"Row {r} has no group key; every row of a ranking set must belong to a query.", nameof(Groups));
            if (!index.TryGetValue(key, out var q))
            {
                index.Add(key, q = members.Count);
                members.Add([]);
            }

            members[q].Add(r);
        }

        var order = new List<int>(keys.Length);
        var bounds = new int[members.Count + 1];
        for (var q = 0; q < members.Count; q++)
        {
            order.AddRange(members[q]);
            bounds[q + 1] = order.Count;
        }

        return Reorder(order, bounds);
    }

    /// <summary>Builds a dataset from whole queries, in the order given, keeping their query boundaries.</summary>
    /// <param name="queries">Query indexes (0 to <see cref="QueryCount"/> - 1); may repeat.</param>
    /// <returns>The subset.</returns>
    /// <exception cref="InvalidOperationException">The dataset has no query boundaries.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A query index is out of range.</exception>
    public Dataset SelectQueries(IReadOnlyList<int> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var b = QueryBoundaries ?? throw new InvalidOperationException("The dataset has no query boundaries; see GroupByQuery.");
        var rows = new List<int>();
        var bounds = new int[queries.Count + 1];
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            if ((uint)q >= (uint)QueryCount)
            {
                throw new ArgumentOutOfRangeException(nameof(queries), q, $"Query index {q} is outside the dataset's {QueryCount} queries.");
            }

            for (var r = b[q]; r < b[q + 1]; r++)
            {
                rows.Add(r);
            }

            bounds[i + 1] = rows.Count;
        }

        return Reorder(rows, bounds);
    }

    /// <summary>
    /// Splits whole queries at random into a training and a held-out part, so no query's documents land on both sides
    /// (a row split would leak each query into validation and inflate early-stopping NDCG).
    /// </summary>
    /// <param name="holdoutFraction">The share of queries held out, greater than 0 and less than 1.</param>
    /// <param name="seed">The shuffle seed; the same seed gives the same split.</param>
    /// <returns>The two parts; each has at least one query.</returns>
    /// <exception cref="InvalidOperationException">The dataset has fewer than two queries.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="holdoutFraction"/> is not between 0 and 1.</exception>
    public (Dataset Training, Dataset Holdout) SplitQueries(double holdoutFraction, int seed = 0)
    {
        if (!(holdoutFraction > 0 && holdoutFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutFraction), holdoutFraction, "The holdout fraction must be greater than 0 and less than 1.");
        }

        if (QueryCount < 2)
        {
            throw new InvalidOperationException($"Splitting by query needs at least two queries; the dataset has {QueryCount}.");
        }

        var order = Enumerable.Range(0, QueryCount).ToArray();
        new Random(seed).Shuffle(order);
        var held = Math.Clamp((int)Math.Round(QueryCount * holdoutFraction), 1, QueryCount - 1);
        var holdout = order[..held];
        var training = order[held..];
        Array.Sort(holdout);
        Array.Sort(training);
        return (SelectQueries(training), SelectQueries(holdout));
    }

    private Dataset Reorder(List<int> rows, int[] bounds)
    {
        var subset = Select(rows);
        return new Dataset(Schema, subset._features, subset._labels, subset._weights, subset._timestamps, subset._groups, bounds);
    }
}
