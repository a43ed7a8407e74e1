using PatternQuality.Data;

namespace PatternQuality.Online.Internal;

/// <summary>
/// Maps a schema's feature vector to the sparse inputs of a linear model. Slot 0 is the bias. Each numeric or boolean
/// feature gets a value slot and a missing-indicator slot; each categorical feature gets one slot per category index
/// (one-hot) and a missing slot. A missing value contributes only its indicator, so it never reads as a real zero.
/// </summary>
internal sealed class LinearFeatureLayout
{
    private readonly FeatureKind[] _kinds;
    private readonly int[] _offsets;
    private readonly int[] _categoryCounts;
    private readonly int[] _numericIndex;

    public LinearFeatureLayout(FeatureSchema schema)
    {
        Schema = schema;
        var n = schema.Count;
        _kinds = new FeatureKind[n];
        _offsets = new int[n];
        _categoryCounts = new int[n];
        _numericIndex = new int[n];
        var next = 1;
        var numeric = 0;
        for (var j = 0; j < n; j++)
        {
            var f = schema[j];
            _kinds[j] = f.Kind;
            _offsets[j] = next;
            _numericIndex[j] = -1;
            switch (f.Kind)
            {
                case FeatureKind.Categorical:
                    _categoryCounts[j] = f.Categories.Count;
                    next += f.Categories.Count + 1;
                    break;
                case FeatureKind.Numeric:
                    _numericIndex[j] = numeric++;
                    next += 2;
                    break;
                default:
                    next += 2;
                    break;
            }
        }

        Dimension = next;
        NumericCount = numeric;
    }

    public FeatureSchema Schema { get; }

    /// <summary>Gets the number of weights, bias included.</summary>
    public int Dimension { get; }

    /// <summary>Gets how many numeric features have running statistics.</summary>
    public int NumericCount { get; }

    /// <summary>Gets the largest number of non-zero inputs a row can have (bias included).</summary>
    public int MaxActive => Schema.Count + 1;

    /// <summary>Gets the numeric-statistics slot of feature <paramref name="feature"/>, or -1 when it is not numeric.</summary>
    public int NumericIndex(int feature) => _numericIndex[feature];

    /// <summary>
    /// Writes the non-zero inputs of a row. Returns how many were written; slot 0 is always the bias.
    /// </summary>
    /// <param name="row">The raw feature vector.</param>
    /// <param name="means">Numeric means by numeric slot.</param>
    /// <param name="inverseStds">Numeric 1/std by numeric slot.</param>
    /// <param name="clip">Bound on a standardized value.</param>
    /// <param name="indices">Receives the weight indices.</param>
    /// <param name="values">Receives the input values.</param>
    /// <param name="rowNumber">The row's number for error messages, or -1 when scoring a single vector.</param>
    public int Encode(
        ReadOnlySpan<float> row,
        ReadOnlySpan<double> means,
        ReadOnlySpan<double> inverseStds,
        double clip,
        Span<int> indices,
        Span<double> values,
        long rowNumber)
    {
        if (row.Length != _kinds.Length)
        {
            throw new ArgumentException(
                $"The feature vector has {row.Length} values; the schema has {_kinds.Length} features.", nameof(row));
        }

        indices[0] = 0;
        values[0] = 1;
        var k = 1;
        for (var j = 0; j < _kinds.Length; j++)
        {
            var x = row[j];
            var o = _offsets[j];
            switch (_kinds[j])
            {
                case FeatureKind.Numeric:
                    if (float.IsNaN(x))
                    {
                        indices[k] = o + 1;
                        values[k++] = 1;
                    }
                    else
                    {
                        if (float.IsInfinity(x))
                        {
                            throw BadValue(j, x, rowNumber, "a numeric feature must be finite or NaN (missing)");
                        }

                        var s = _numericIndex[j];
                        var z = (x - means[s]) * inverseStds[s];
                        indices[k] = o;
                        values[k++] = Math.Clamp(z, -clip, clip);
                    }

                    break;

                case FeatureKind.Boolean:
                    if (float.IsNaN(x))
                    {
                        indices[k] = o + 1;
                        values[k++] = 1;
                    }
                    else if (x == 1f)
                    {
                        indices[k] = o;
                        values[k++] = 1;
                    }
                    else if (x != 0f)
                    {
                        throw BadValue(j, x, rowNumber, "a boolean feature must be 0, 1 or NaN (missing)");
                    }

                    break;

                default:
                    var count = _categoryCounts[j];
                    if (float.IsNaN(x))
                    {
                        indices[k] = o + count;
                        values[k++] = 1;
                    }
                    else
                    {
                        if (!(x >= 0 && x < count) || x != MathF.Floor(x))
                        {
                            throw BadValue(j, x, rowNumber, $"a categorical feature must be a whole category index in [0, {count - 1}] or NaN (missing)");
                        }

                        indices[k] = o + (int)x;
                        values[k++] = 1;
                    }

                    break;
            }
        }

        return k;
    }

    private ArgumentException BadValue(int feature, float value, long rowNumber, string rule)
    {
        var where = rowNumber >= 0 ? $"Row {rowNumber}, feature '{Schema[feature].Name}'" : $"Feature '{Schema[feature].Name}'";
        return new ArgumentException($"{where} has value {value}: {rule}.", "features");
    }
}
