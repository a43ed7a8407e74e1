using Microsoft.ML;
using PatternQuality.Data;
using PatternQuality.Learning;

namespace PatternQuality.MLNet.Internal;

/// <summary>What the three ML.NET learners share: input checks, the data view and the column names.</summary>
internal static class MLNetTraining
{
    public static (MLContext Context, IDataView View, string? WeightColumn) Prepare(Dataset training, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(training);
        cancellationToken.ThrowIfCancellationRequested();
        if (training.RowCount == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(training));
        }

        var labels = training.Labels.Span;
        bool pos = false, neg = false;
        foreach (var y in labels)
        {
            if (y == 1)
            {
                pos = true;
            }
            else if (y == 0)
            {
                neg = true;
            }
            else
            {
                throw new ArgumentException($"A label is {y}; ML.NET binary trainers need labels 0 and 1.", nameof(training));
            }
        }

        if (!pos || !neg)
        {
            throw new ArgumentException("The training data has only one class; a binary trainer needs both.", nameof(training));
        }

        // ML.NET trainers take no cancellation token: the token is checked before and after the fit.
        // One context per fit: MLContext is not meant to be shared across concurrent trainings, and ILearner must be thread-safe.
        var context = new MLContext(seed);
        return (context, DatasetDataView.Create(context, training), training.Weights is null ? null : DatasetDataView.Weight);
    }

    public static IPredictor Finish(IPredictor model, FeatureSchema schema, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        schema.EnsureCompatible(model.Schema);
        return model;
    }

    /// <summary>
    /// Runs an ML.NET fit. ML.NET trainers take no cancellation token, so the token is checked around the fit (in
    /// <see cref="Prepare"/> and <see cref="Finish"/>); a cancellation ML.NET reports itself is rethrown with the caller's token.
    /// </summary>
    public static T Run<T>(Func<T> fit, CancellationToken cancellationToken)
    {
        try
        {
            return fit();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("ML.NET training was cancelled.", cancellationToken);
        }
    }
}
