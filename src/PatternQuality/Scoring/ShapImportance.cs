namespace PatternQuality.Scoring;

/// <summary>Global explanation: the mean absolute TreeSHAP contribution of each feature over a set of rows.</summary>
/// <remarks>
/// Unlike gain importance, it is measured in the model's raw units (log-odds for boosted models) on the rows you
/// choose, so features compare directly with each other and with permutation importance on the same rows.
/// </remarks>
public static class ShapImportance
{
    /// <summary>Computes mean |contribution| per schema feature.</summary>
    /// <param name="model">A model whose predictor is a tree model (see <see cref="QualityModel.CanExplain"/>).</param>
    /// <param name="features">Row-major vectors laid out by the model's schema.</param>
    /// <param name="cancellationToken">Stops between rows.</param>
    /// <returns>One entry per schema feature, in schema order; all zeros when there are no rows.</returns>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not a whole number of rows.</exception>
    /// <exception cref="NotSupportedException">The model cannot explain.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static IReadOnlyList<KeyValuePair<string, double>> MeanAbsolute(QualityModel model, ReadOnlyMemory<float> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var schema = model.Info.Schema;
        var f = schema.Count;
        if (features.Length % f != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of rows of {f} features.", nameof(features));
        }

        if (!model.CanExplain)
        {
            throw new NotSupportedException("Mean |SHAP| needs a tree model.");
        }

        var rows = features.Length / f;
        var sums = new double[f];
        var phi = new double[f + 1];
        for (var r = 0; r < rows; r++)
        {
            if ((r & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            model.PredictContributions(features.Span.Slice(r * f, f), phi);
            for (var j = 0; j < f; j++)
            {
                sums[j] += Math.Abs(phi[j]);
            }
        }

        var result = new KeyValuePair<string, double>[f];
        for (var j = 0; j < f; j++)
        {
            result[j] = new(schema[j].Name, rows == 0 ? 0 : sums[j] / rows);
        }

        return result;
    }

    /// <summary>Computes mean |contribution| per schema feature for every class of a multiclass model.</summary>
    /// <param name="model">The multiclass model (its softmax ensemble always explains).</param>
    /// <param name="features">Row-major vectors laid out by the model's schema.</param>
    /// <param name="cancellationToken">Stops between rows.</param>
    /// <returns>
    /// One list per class, in class-index order (<see cref="MulticlassQualityModel.ClassNames"/>), each with one entry per
    /// schema feature in schema order, in the class's raw (softmax input) units; all zeros when there are no rows.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not a whole number of rows.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> MeanAbsolute(MulticlassQualityModel model, ReadOnlyMemory<float> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var schema = model.Info.Schema;
        var f = schema.Count;
        var k = model.ClassCount;
        if (features.Length % f != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of rows of {f} features.", nameof(features));
        }

        var rows = features.Length / f;
        var sums = new double[k * f];
        var phi = new double[k * (f + 1)];
        for (var r = 0; r < rows; r++)
        {
            if ((r & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            model.PredictContributions(features.Span.Slice(r * f, f), phi);
            for (var c = 0; c < k; c++)
            {
                for (var j = 0; j < f; j++)
                {
                    sums[(c * f) + j] += Math.Abs(phi[(c * (f + 1)) + j]);
                }
            }
        }

        var result = new IReadOnlyList<KeyValuePair<string, double>>[k];
        for (var c = 0; c < k; c++)
        {
            var perClass = new KeyValuePair<string, double>[f];
            for (var j = 0; j < f; j++)
            {
                perClass[j] = new(schema[j].Name, rows == 0 ? 0 : sums[(c * f) + j] / rows);
            }

            result[c] = perClass;
        }

        return result;
    }
}
