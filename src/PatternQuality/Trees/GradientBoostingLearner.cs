using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// Histogram-based gradient-boosted decision trees in managed code: quantile bins, learned missing-value directions,
/// native categorical splits, leaf-wise growth, bagging, feature sampling and early stopping.
/// </summary>
/// <remarks>A fixed <see cref="GradientBoostingOptions.Seed"/> gives a bit-identical model at any thread count.</remarks>
public sealed class GradientBoostingLearner : ILearner
{
    private readonly GradientBoostingOptions _options;

    /// <summary>Initializes a new instance of the <see cref="GradientBoostingLearner"/> class.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public GradientBoostingLearner(GradientBoostingOptions? options = null)
    {
        _options = options ?? new GradientBoostingOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => "gbdt";

    /// <summary>Gets the settings.</summary>
    public GradientBoostingOptions Options => _options;

    /// <summary>Trains a binary model (labels 0 and 1).</summary>
    /// <param name="training">The training rows.</param>
    /// <param name="validation">Rows for early stopping (<see cref="GradientBoostingOptions.EarlyStoppingRounds"/>); never trained on.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The training set is empty, has one class, labels other than 0/1, only zero weights, or only constant features.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public TreeEnsembleModel Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        _options.Validate();
        var (ensemble, warnings) = GradientBoostingTrainer.Train(
            training, validation, _options, BinaryLogLossObjective.Instance, _options.NumberOfTrees, from: null, cancellationToken);
        return new TreeEnsembleModel(training.Schema, ensemble, _options.Describe(), warnings);
    }

    /// <inheritdoc />
    IPredictor ILearner.Fit(Dataset training, Dataset? validation, CancellationToken cancellationToken)
        => Fit(training, validation, cancellationToken);

    /// <summary>Trains a multiclass model; labels are class indexes 0 to K - 1, and K is the largest label plus one.</summary>
    /// <param name="training">The training rows.</param>
    /// <param name="validation">Rows for early stopping; never trained on.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The training set is empty, labels are not class indexes, or fewer than two classes occur.</exception>
    public MulticlassTreeEnsembleModel FitMulticlass(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        _options.Validate();
        if (training.RowCount == 0)
        {
            throw new ArgumentException("The training set has no rows.", nameof(training));
        }

        var max = 0f;
        foreach (var y in training.Labels.Span)
        {
            if (y < 0 || y != MathF.Floor(y) || y > 100_000)
            {
                throw new ArgumentException($"Label {y} is not a class index (0, 1, 2, ... up to 100000).", nameof(training));
            }

            max = Math.Max(max, y);
        }

        var classes = Math.Max(2, (int)max + 1);
        var (ensemble, warnings) = GradientBoostingTrainer.Train(
            training, validation, _options, new SoftmaxObjective(classes), _options.NumberOfTrees, from: null, cancellationToken);
        return new MulticlassTreeEnsembleModel(training.Schema, ensemble, _options.Describe(), warnings);
    }

    /// <summary>
    /// Trains a ranking model with the LambdaRank (LambdaMART) objective: within each query, documents of higher
    /// relevance learn to score above those of lower relevance, weighted by the NDCG a swap would cost.
    /// </summary>
    /// <param name="training">
    /// Rows with graded relevance labels (whole numbers 0 to <see cref="LambdaRankOptions.MaximumLabel"/>) and
    /// <see cref="Dataset.QueryBoundaries"/> (see <see cref="Dataset.GroupByQuery"/>).
    /// </param>
    /// <param name="validation">Rows with query boundaries for early stopping on NDCG@<see cref="LambdaRankOptions.EarlyStoppingAt"/>; never trained on.</param>
    /// <param name="ranking">The objective's settings; <see langword="null"/> for LightGBM's defaults.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>
    /// A model whose <see cref="TreeEnsembleModel.PredictRaw"/> is the ranking score (<see cref="TreeEnsembleModel.IsRanking"/> is
    /// <see langword="true"/>); its probability is only a monotone squashing of that score, not calibrated.
    /// </returns>
    /// <exception cref="ArgumentException">A set has no query boundaries, a label is not a whole number in range, every label is equal, or <see cref="GradientBoostingOptions.ClassWeighting"/> is not None.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public TreeEnsembleModel FitRanking(Dataset training, Dataset? validation = null, LambdaRankOptions? ranking = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        _options.Validate();
        ranking ??= new LambdaRankOptions();
        ranking.Validate();
        if (_options.ClassWeighting != ClassWeighting.None)
        {
            throw new ArgumentException("Class weighting does not apply to ranking; set ClassWeighting to None (weigh rows instead).", nameof(training));
        }

        var (ensemble, warnings) = GradientBoostingTrainer.Train(
            training, validation, _options, new LambdaRankObjective(ranking), _options.NumberOfTrees, from: null, cancellationToken);
        return new TreeEnsembleModel(training.Schema, ensemble, [.. _options.Describe(), .. ranking.Describe()], warnings);
    }

    /// <summary>
    /// Continues boosting from <paramref name="start"/>: its trees stay, new trees fit the residual of its raw scores on
    /// <paramref name="newData"/>.
    /// </summary>
    /// <param name="start">A boosted binary model with the same schema as the data.</param>
    /// <param name="newData">The rows to learn from.</param>
    /// <param name="additionalTrees">How many rounds to add (1 or more).</param>
    /// <param name="validation">Rows for early stopping; never trained on.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>A new model: the start's trees followed by the new ones.</returns>
    /// <exception cref="ArgumentException">The model is a random forest, or the data is invalid.</exception>
    /// <exception cref="Data.SchemaMismatchException">The data's schema differs from the model's.</exception>
    public TreeEnsembleModel ContinueTraining(TreeEnsembleModel start, Dataset newData, int additionalTrees, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(newData);
        ArgumentOutOfRangeException.ThrowIfLessThan(additionalTrees, 1);
        _options.Validate();
        if (start.IsRandomForest || start.IsRanking)
        {
            throw new ArgumentException(
                start.IsRanking
                    ? "Continued training applies to binary boosted models; this one is a ranking model (train a new one with FitRanking)."
                    : "Continued training needs a boosted model; this one is a random forest.",
                nameof(start));
        }

        start.Schema.EnsureCompatible(newData.Schema);
        var (ensemble, warnings) = GradientBoostingTrainer.Train(
            newData, validation, _options, BinaryLogLossObjective.Instance, additionalTrees, new BoostingStart(start.Ensemble), cancellationToken);
        return new TreeEnsembleModel(start.Schema, ensemble, _options.Describe(), warnings);
    }
}
