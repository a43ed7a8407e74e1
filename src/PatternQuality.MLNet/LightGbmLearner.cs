using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.MLNet.Internal;

namespace PatternQuality.MLNet;

/// <summary>
/// ML.NET's LightGBM binary trainer (<c>LightGbmBinaryTrainer</c>, native LightGBM) as a PatternQuality learner:
/// trains with ML.NET and returns the model converted by <see cref="MLNetTreeConverter"/>.
/// </summary>
/// <remarks>
/// Thread-safe: every fit uses its own <see cref="MLContext"/>. Categorical splits are off (ML.NET's converted
/// categorical splits test groups of slots, which the converter does not represent); missing values (NaN) follow
/// ML.NET's scoring of the converted trees, which sends them right.
/// </remarks>
public sealed class LightGbmLearner : ILearner
{
    /// <summary>Initializes a new instance of the <see cref="LightGbmLearner"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for ML.NET's defaults. Validated here and on every fit.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public LightGbmLearner(LightGbmLearnerOptions? options = null)
    {
        Options = options ?? new LightGbmLearnerOptions();
        Options.Validate();
    }

    /// <inheritdoc />
    public string Name => "lightgbm";

    /// <summary>Gets the settings.</summary>
    public LightGbmLearnerOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data is empty, has a label other than 0/1, or only one class.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IPredictor Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var (context, view, weight) = MLNetTraining.Prepare(training, Options.Seed ?? 0, cancellationToken);
        var trainer = context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = DatasetDataView.Label,
            FeatureColumnName = DatasetDataView.Features,
            ExampleWeightColumnName = weight,
            NumberOfIterations = Options.NumberOfIterations,
            NumberOfLeaves = Options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = Options.MinimumExampleCountPerLeaf,
            LearningRate = Options.LearningRate,
            NumberOfThreads = Options.NumberOfThreads,
            Seed = Options.Seed,
            Deterministic = Options.Deterministic,
            UseCategoricalSplit = false,
            Silent = true,
        });
        var model = MLNetTraining.Run(() => trainer.Fit(view), cancellationToken).Model;
        var converted = MLNetTreeConverter.Convert(model.SubModel, model.Calibrator, training.Schema, Options.LearningRate ?? 0.1, Describe());
        return MLNetTraining.Finish(converted, training.Schema, cancellationToken);
    }

    private IEnumerable<KeyValuePair<string, string>> Describe()
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("Trainer", Name),
            new(nameof(Options.NumberOfIterations), Options.NumberOfIterations.ToString(CultureInfo.InvariantCulture)),
        };
        if (Options.NumberOfLeaves is { } leaves)
        {
            list.Add(new(nameof(Options.NumberOfLeaves), leaves.ToString(CultureInfo.InvariantCulture)));
        }

        if (Options.MinimumExampleCountPerLeaf is { } min)
        {
            list.Add(new(nameof(Options.MinimumExampleCountPerLeaf), min.ToString(CultureInfo.InvariantCulture)));
        }

        if (Options.LearningRate is { } rate)
        {
            list.Add(new(nameof(Options.LearningRate), rate.ToString("R", CultureInfo.InvariantCulture)));
        }

        return list;
    }
}
