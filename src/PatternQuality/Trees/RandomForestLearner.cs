using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// A random forest classifier on the same tree engine: bootstrap rows, a random subset of features at each split,
/// Gini splits, and the probability as the mean of the leaves' (weighted) positive fractions.
/// </summary>
public sealed class RandomForestLearner : ILearner
{
    private readonly RandomForestOptions _options;

    /// <summary>Initializes a new instance of the <see cref="RandomForestLearner"/> class.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public RandomForestLearner(RandomForestOptions? options = null)
    {
        _options = options ?? new RandomForestOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => "forest";

    /// <summary>Gets the settings.</summary>
    public RandomForestOptions Options => _options;

    /// <summary>Trains a forest (labels 0 and 1).</summary>
    /// <param name="training">The training rows.</param>
    /// <param name="validation">Ignored: forests do not stop early.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The training set is empty, has one class, labels other than 0/1, only zero weights, or only constant features.</exception>
    public TreeEnsembleModel Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        _options.Validate();
        var (ensemble, warnings) = RandomForestTrainer.Train(training, _options, cancellationToken);
        return new TreeEnsembleModel(training.Schema, ensemble, _options.Describe(), warnings);
    }

    /// <inheritdoc />
    IPredictor ILearner.Fit(Dataset training, Dataset? validation, CancellationToken cancellationToken)
        => Fit(training, validation, cancellationToken);
}
