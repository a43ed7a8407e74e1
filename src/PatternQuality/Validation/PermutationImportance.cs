using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Learning;
using PatternQuality.Validation.Internal;

namespace PatternQuality.Validation;

/// <summary>
/// Permutation feature importance: shuffle one feature's column across the rows, re-score, and see how much the
/// metric gets worse. A categorical feature is shuffled as a whole column of category indexes, so every value stays a
/// valid category of that feature.
/// </summary>
public static class PermutationImportance
{
    /// <summary>Measures the importance of every feature of <paramref name="predictor"/> on <paramref name="dataset"/>.</summary>
    /// <param name="predictor">The trained model (use held-out rows: importance on training rows rewards overfitting).</param>
    /// <param name="dataset">Rows with 0/1 labels, laid out by the predictor's schema.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops between features.</param>
    /// <returns>Importance per feature name; for every metric, larger means more important (losses are turned around).</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; every such option is listed.</exception>
    /// <exception cref="Data.SchemaMismatchException">The dataset's schema differs from the predictor's.</exception>
    /// <exception cref="ArgumentException">The labels are not 0/1 or the dataset is empty.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PermutationImportanceResult Compute(
        IPredictor predictor,
        Dataset dataset,
        PermutationImportanceOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new PermutationImportanceOptions();
        options.Validate();
        predictor.Schema.EnsureCompatible(dataset.Schema);
        var metric = options.Metric;
        var sign = metric.IsHigherBetter() ? 1.0 : -1.0;
        var n = dataset.RowCount;
        var width = dataset.Schema.Count;
        var features = dataset.Features.ToArray();
        var labels = dataset.Labels.Span;
        var weights = dataset.WeightSpan;
        var predictions = new float[n];

        predictor.PredictProbability(features, predictions);
        var baseline = metric.ValueOf(BinaryEvaluation.Compute(labels, predictions, 0.5, weights));

        var random = new Random(options.Seed);
        var column = new float[n];
        var order = new int[n];
        var result = new List<PermutationFeatureImportance>(width);
        for (var j = 0; j < width; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < n; i++)
            {
                column[i] = features[(i * width) + j];
            }

            var drops = new double[options.Repeats];
            for (var r = 0; r < options.Repeats; r++)
            {
                for (var i = 0; i < n; i++)
                {
                    order[i] = i;
                }

                FoldBuilder.Shuffle(order, random);
                for (var i = 0; i < n; i++)
                {
                    features[(i * width) + j] = column[order[i]];
                }

                predictor.PredictProbability(features, predictions);
                var value = metric.ValueOf(BinaryEvaluation.Compute(labels, predictions, 0.5, weights));
                drops[r] = sign * (baseline - value);
            }

            for (var i = 0; i < n; i++)
            {
                features[(i * width) + j] = column[i];
            }

            var mean = drops.Average();
            var std = drops.Length > 1 ? Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / (drops.Length - 1)) : 0;
            result.Add(new PermutationFeatureImportance(dataset.Schema[j].Name, mean, std));
        }

        return new PermutationImportanceResult(metric, baseline, result);
    }
}
