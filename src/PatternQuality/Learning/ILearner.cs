using PatternQuality.Data;

namespace PatternQuality.Learning;

/// <summary>Builds a binary <see cref="IPredictor"/> from labelled data (labels 0 and 1).</summary>
public interface ILearner
{
    /// <summary>Gets a short name for reports and model metadata (for example <c>gbdt</c>, <c>forest</c>).</summary>
    string Name { get; }

    /// <summary>Trains a predictor.</summary>
    /// <param name="training">The training rows.</param>
    /// <param name="validation">Optional rows for early stopping; never trained on.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The trained predictor.</returns>
    IPredictor Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default);
}
