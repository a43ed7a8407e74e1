using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>
/// ML.NET's FastTree (gradient-boosted trees, <c>FastTreeBinaryTrainer</c>) as a PatternQuality learner: trains with
/// ML.NET and returns the model converted by <see cref="MLNetTreeConverter"/>, scoring exactly what ML.NET's calibrated
/// probability is. Plugs into <c>QualityTrainer</c> (set <c>QualityTrainerOptions.Learner</c>), cross-validation and calibration.
/// </summary>
/// <remarks>Thread-safe: every fit uses its own <see cref="MLContext"/>. Validation rows are not used (no early stopping).</remarks>
public sealed class FastTreeLearner : ILearner
{
    /// <summary>Initializes a new instance of the <see cref="FastTreeLearner"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for ML.NET's defaults. Validated here and on every fit.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public FastTreeLearner(FastTreeLearnerOptions? options = null)
    {
        Options = options ?? new FastTreeLearnerOptions();
        Options.Validate();
    }

    /// <inheritdoc />
    public string Name => "fasttree";

    /// <summary>Gets the settings.</summary>
    public FastTreeLearnerOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data is empty, has a label other than 0/1, or only one class.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IPredictor Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var (context, view, weight) = MLNetTraining.Prepare(training, Options.Seed, cancellationToken);
        var trainer = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = DatasetDataView.Label,
            FeatureColumnName = DatasetDataView.Features,
            ExampleWeightColumnName = weight,
            NumberOfTrees = Options.NumberOfTrees,
            NumberOfLeaves = Options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = Options.MinimumExampleCountPerLeaf,
            LearningRate = Options.LearningRate,
            NumberOfThreads = Options.NumberOfThreads,
            Seed = Options.Seed,
        });
        var model = MLNetTraining.Run(() => trainer.Fit(view), cancellationToken).Model;
        var converted = MLNetTreeConverter.Convert(model.SubModel, model.Calibrator, training.Schema, Options.LearningRate, Describe());
        return MLNetTraining.Finish(converted, training.Schema, cancellationToken);
    }

    private IEnumerable<KeyValuePair<string, string>> Describe() =>
    [
        new("Trainer", Name),
        new(nameof(Options.NumberOfTrees), Options.NumberOfTrees.ToString(CultureInfo.InvariantCulture)),
        new(nameof(Options.NumberOfLeaves), Options.NumberOfLeaves.ToString(CultureInfo.InvariantCulture)),
        new(nameof(Options.MinimumExampleCountPerLeaf), Options.MinimumExampleCountPerLeaf.ToString(CultureInfo.InvariantCulture)),
        new(nameof(Options.LearningRate), Options.LearningRate.ToString("R", CultureInfo.InvariantCulture)),
        new(nameof(Options.Seed), Options.Seed.ToString(CultureInfo.InvariantCulture)),
    ];
}
