using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Learning;

namespace PatternQuality.Validation;

/// <summary>K-fold cross-validation of a learner, stratified by label or grouped by user.</summary>
public static class CrossValidator
{
    /// <summary>Trains one model per fold and evaluates it on the rows it did not see.</summary>
    /// <param name="learner">The learner to evaluate.</param>
    /// <param name="dataset">Rows with 0/1 labels.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives a report after each fold, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between and (if the learner honours it) within folds.</param>
    /// <returns>Per-fold metrics, mean, standard deviation and out-of-fold predictions.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; every such option is listed.</exception>
    /// <exception cref="ArgumentException">The labels are not 0/1, there are fewer rows (or groups) than folds, or <see cref="CrossValidationOptions.Grouped"/> is set but the dataset has no groups.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static CrossValidationResult Run(
        ILearner learner,
        Dataset dataset,
        CrossValidationOptions? options = null,
        IProgress<CrossValidationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new CrossValidationOptions();
        options.Validate();
        var labels = dataset.Labels.Span;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] != 0f && labels[i] != 1f)
            {
                throw new ArgumentException($"Label of row {i} is {labels[i]}; cross-validation of a binary learner needs 0/1 labels.", nameof(dataset));
            }
        }

        IReadOnlyList<Fold> folds;
        if (options.Grouped)
        {
            var groups = dataset.Groups
                ?? throw new ArgumentException("CrossValidationOptions.Grouped is set but the dataset has no groups.", nameof(dataset));
            folds = new GroupKFold(options.Folds).Split(groups);
        }
        else
        {
            folds = new StratifiedKFold(options.Folds, options.Seed).Split(labels);
        }

        var oof = new float[dataset.RowCount];
        var results = new List<FoldResult>(folds.Count);
        var warnings = new List<string>();
        foreach (var fold in folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var train = dataset.Select(fold.TrainRows);
            var test = dataset.Select(fold.TestRows);
            var predictor = learner.Fit(train, null, cancellationToken);
            var predictions = new float[test.RowCount];
            predictor.PredictProbability(test.Features.Span, predictions);
            for (var i = 0; i < predictions.Length; i++)
            {
                oof[fold.TestRows[i]] = predictions[i];
            }

            var evaluation = BinaryEvaluation.Compute(
                test.Labels.Span, predictions, options.Threshold, test.WeightSpan);
            var result = new FoldResult(fold.Index, train.RowCount, test.RowCount, evaluation);
            results.Add(result);
            warnings.AddRange(evaluation.Warnings.Select(m => $"Fold {fold.Index}: {m}"));
            progress?.Report(new CrossValidationProgress(results.Count, folds.Count, result));
        }

        return new CrossValidationResult(results, oof, warnings);
    }
}
