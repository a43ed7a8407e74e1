using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>
/// ML.NET's FastForest (a random forest, <c>FastForestBinaryTrainer</c>) as a PatternQuality learner. ML.NET's forest
/// score is unbounded, so the learner fits ML.NET's Platt calibrator on the training rows and converts forest and
/// calibrator into one model whose probability is ML.NET's calibrated probability.
/// </summary>
/// <remarks>
/// Thread-safe: every fit uses its own <see cref="MLContext"/>. The converted model is a boosted-form ensemble (margin =
/// calibrated forest score), so leaf refits and continued boosting apply to it as to any boosted model.
/// </remarks>
public sealed class FastForestLearner : ILearner
{
    /// <summary>Initializes a new instance of the <see cref="FastForestLearner"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for ML.NET's defaults. Validated here and on every fit.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public FastForestLearner(FastForestLearnerOptions? options = null)
    {
        Options = options ?? new FastForestLearnerOptions();
        Options.Validate();
    }

    /// <inheritdoc />
    public string Name => "fastforest";

    /// <summary>Gets the settings.</summary>
    public FastForestLearnerOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data is empty, has a label other than 0/1, or only one class.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IPredictor Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var (context, view, weight) = MLNetTraining.Prepare(training, Options.Seed, cancellationToken);
        var trainer = context.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
        {
            LabelColumnName = DatasetDataView.Label,
            FeatureColumnName = DatasetDataView.Features,
            ExampleWeightColumnName = weight,
            NumberOfTrees = Options.NumberOfTrees,
            NumberOfLeaves = Options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = Options.MinimumExampleCountPerLeaf,
            FeatureFraction = Options.FeatureFraction,
            BaggingExampleFraction = Options.BaggingExampleFraction,
            NumberOfThreads = Options.NumberOfThreads,
            Seed = Options.Seed,
        });
        var (forest, calibrator) = MLNetTraining.Run(
            () =>
            {
                var fitted = trainer.Fit(view);
                var platt = context.BinaryClassification.Calibrators.Platt(DatasetDataView.Label).Fit(fitted.Transform(view));
                return (fitted.Model, ((ISingleFeaturePredictionTransformer<Microsoft.ML.Calibrators.PlattCalibrator>)platt).Model);
            },
            cancellationToken);
        var converted = MLNetTreeConverter.Convert(forest, calibrator, training.Schema, 0.1, Describe());
        return MLNetTraining.Finish(converted, training.Schema, cancellationToken);
    }

    private IEnumerable<KeyValuePair<string, string>> Describe() =>
    [
        new("Trainer", Name),
        new(nameof(Options.NumberOfTrees), Options.NumberOfTrees.ToString(CultureInfo.InvariantCulture)),
        new(nameof(Options.NumberOfLeaves), Options.NumberOfLeaves.ToString(CultureInfo.InvariantCulture)),
        new(nameof(Options.MinimumExampleCountPerLeaf), Options.MinimumExampleCountPerLeaf.ToString(CultureInfo.InvariantCulture)),
        new(nameof(Options.FeatureFraction), Options.FeatureFraction.ToString("R", CultureInfo.InvariantCulture)),
        new(nameof(Options.BaggingExampleFraction), Options.BaggingExampleFraction.ToString("R", CultureInfo.InvariantCulture)),
        new(nameof(Options.Seed), Options.Seed.ToString(CultureInfo.InvariantCulture)),
    ];
}
