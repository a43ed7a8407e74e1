
namespace PatternQuality.Data;

/// <summary>
/// Feature vectors with their labels, ready for a learner: rows stored one after another (row-major), plus optional
/// weights, timestamps, user or group keys and ranking query boundaries.
/// </summary>
/// <remarks>
/// Immutable once built. Labels are 0/1 for binary objectives, a class index for multiclass and a graded relevance
/// (0, 1, 2, ...) for ranking. Use <see cref="Select"/> to take a subset of rows (a split, a fold, a batch).
/// </remarks>
public sealed partial class Dataset
{
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly float[]? _weights;
    private readonly long[]? _timestamps;
    private readonly string?[]? _groups;

    /// <summary>Initializes a new dataset.</summary>
    /// <param name="schema">The layout of each row.</param>
    /// <param name="features">Row-major features: <c>rows * schema.Count</c> floats, NaN for missing.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="weights">One non-negative weight per row, or <see langword="null"/> for all ones.</param>
    /// <param name="timestamps">One time per row in unix milliseconds, or <see langword="null"/>.</param>
    /// <param name="groups">One user or group key per row (null where unknown), or <see langword="null"/>.</param>
    /// <param name="queryBoundaries">For ranking: ascending row offsets where each query starts, ending with the row count; or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The arrays disagree in length, a label is not finite, or a weight is negative or not finite.</exception>
    public Dataset(
        FeatureSchema schema,
        float[] features,
        float[] labels,
        float[]? weights = null,
        long[]? timestamps = null,
        string?[]? groups = null,
        int[]? queryBoundaries = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        var rows = labels.Length;
        if ((long)rows * schema.Count != features.Length)
        {
            throw new ArgumentException(
                $"{features.Length} feature values do not make {rows} rows of {schema.Count} features (expected {(long)rows * schema.Count}).",
                nameof(features));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]))
            {
                throw new ArgumentException($"Label of row {i} is {labels[i]}; labels must be finite numbers.", nameof(labels));
            }
        }

        if (weights is not null)
        {
            CheckLength(weights.Length, rows, nameof(weights));
            for (var i = 0; i < weights.Length; i++)
            {
                if (!float.IsFinite(weights[i]) || weights[i] < 0)
                {
                    throw new ArgumentException($"Weight of row {i} is {weights[i]}; weights must be finite and >= 0.", nameof(weights));
                }
            }
        }

        if (timestamps is not null)
        {
            CheckLength(timestamps.Length, rows, nameof(timestamps));
        }

        if (groups is not null)
        {
            CheckLength(groups.Length, rows, nameof(groups));
        }

        if (queryBoundaries is not null)
        {
            if (queryBoundaries.Length < 1 || queryBoundaries[0] != 0 || queryBoundaries[^1] != rows)
            {
                throw new ArgumentException($"Query boundaries must start at 0 and end at the row count ({rows}).", nameof(queryBoundaries));
            }

            for (var i = 1; i < queryBoundaries.Length; i++)
            {
                if (queryBoundaries[i] < queryBoundaries[i - 1])
                {
                    throw new ArgumentException($"Query boundaries must not decrease (entry {i}).", nameof(queryBoundaries));
                }
            }
        }

        Schema = schema;
        _features = features;
        _labels = labels;
        _weights = weights;
        _timestamps = timestamps;
        _groups = groups;
        QueryBoundaries = queryBoundaries;
    }

    /// <summary>Gets the layout of each row.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => _labels.Length;

    /// <summary>Gets all features, row-major.</summary>
    public ReadOnlyMemory<float> Features => _features;

    /// <summary>Gets the labels.</summary>
    public ReadOnlyMemory<float> Labels => _labels;

    // The typed null matters: ReadOnlyMemory converts implicitly from arrays, so a bare "null" in the conditional would
    // become an empty, non-null memory.

    /// <summary>Gets the weights, or <see langword="null"/> when every row weighs 1.</summary>
    public ReadOnlyMemory<float>? Weights => _weights is null ? default(ReadOnlyMemory<float>?) : _weights;

    /// <summary>Gets the weights as a span: empty when every row weighs 1 (what the metric and calibration APIs expect).</summary>
    internal ReadOnlySpan<float> WeightSpan => _weights;

    /// <summary>Gets the row times in unix milliseconds, or <see langword="null"/>.</summary>
    public ReadOnlyMemory<long>? Timestamps => _timestamps is null ? default(ReadOnlyMemory<long>?) : _timestamps;

    /// <summary>Gets the user or group key of each row, or <see langword="null"/>.</summary>
    public IReadOnlyList<string?>? Groups => _groups;

    /// <summary>Gets the ranking query boundaries (row offsets, ending with <see cref="RowCount"/>), or <see langword="null"/>.</summary>
    public IReadOnlyList<int>? QueryBoundaries { get; }

    /// <summary>Gets one row's features.</summary>
    /// <param name="row">The row index.</param>
    /// <returns>The row's features.</returns>
    public ReadOnlySpan<float> GetRow(int row)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The dataset has {RowCount} rows.");
        }

        return new ReadOnlySpan<float>(_features, row * Schema.Count, Schema.Count);
    }

    /// <summary>Gets a row's weight (1 when there are no weights).</summary>
    /// <param name="row">The row index.</param>
    /// <returns>The weight.</returns>
    public float GetWeight(int row) => _weights is null ? 1f : _weights[row];

    /// <summary>Builds a dataset from a subset of rows, in the order given. Query boundaries are dropped.</summary>
    /// <param name="rows">Row indexes; may repeat.</param>
    /// <returns>The subset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public Dataset Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = Schema.Count;
        var f = new float[rows.Count * n];
        var l = new float[rows.Count];
        var w = _weights is null ? null : new float[rows.Count];
        var t = _timestamps is null ? null : new long[rows.Count];
        var g = _groups is null ? null : new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if ((uint)r >= (uint)RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row index {r} is outside the dataset's {RowCount} rows.");
            }

            Array.Copy(_features, r * n, f, i * n, n);
            l[i] = _labels[r];
            if (w is not null)
            {
                w[i] = _weights![r];
            }

            if (t is not null)
            {
                t[i] = _timestamps![r];
            }

            if (g is not null)
            {
                g[i] = _groups![r];
            }
        }

        return new Dataset(Schema, f, l, w, t, g);
    }

    private static void CheckLength(int actual, int rows, string name)
    {
        if (actual != rows)
        {
            throw new ArgumentException($"{name} has {actual} entries for {rows} rows.", name);
        }
    }
}
