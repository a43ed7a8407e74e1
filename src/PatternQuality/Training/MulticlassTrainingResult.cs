using System.Text.Json.Serialization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Internal;
using PatternQuality.Scoring;

namespace PatternQuality.Training;

/// <summary>What a multiclass training run returns: the calibrated model and its evaluation on rows it never trained on.</summary>
public sealed class MulticlassTrainingResult
{
    internal MulticlassTrainingResult(MulticlassQualityModel model, Dataset test, float[] probabilities)
    {
        Model = model;
        Test = test;
        HoldoutProbabilities = probabilities;
    }

    /// <summary>Gets the calibrated model, trained on all training rows.</summary>
    public MulticlassQualityModel Model { get; }

    /// <summary>Gets the holdout metrics of the calibrated model: <see cref="MetricNames.LogLoss"/>, <see cref="MetricNames.Accuracy"/> and <see cref="MetricNames.MacroF1"/>.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Gets the same metrics of the uncalibrated model (the ensemble's own softmax).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required IReadOnlyDictionary<string, double> UncalibratedMetrics { get; init; }

    /// <summary>Gets each class's precision, recall, F1 and support on the holdout (calibrated model, top class as prediction).</summary>
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }

    /// <summary>Gets the holdout confusion matrix: row = true class, column = predicted class.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> Confusion { get; init; }

    /// <summary>Gets the calibration fit and the out-of-fold log loss of each candidate, or <see langword="null"/> when calibration was off.</summary>
    public MulticlassCalibrationResult? Calibration { get; init; }

    /// <summary>Gets how the holdout was chosen.</summary>
    public SplitStrategy Split { get; init; }

    /// <summary>Gets the number of rows trained on.</summary>
    public int TrainRows { get; init; }

    /// <summary>Gets the number of holdout rows.</summary>
    public int TestRows => Test.RowCount;

    /// <summary>Gets the time to fit the final model (without calibration folds).</summary>
    public TimeSpan TrainTime { get; init; }

    /// <summary>Gets the time of the whole run: split, calibration folds, final fit and evaluation.</summary>
    public TimeSpan TotalTime { get; init; }

    /// <summary>Gets notes from training.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the calibrated probabilities of the holdout rows, <see cref="MulticlassQualityModel.ClassCount"/> per row.</summary>
    public ReadOnlyMemory<float> HoldoutProbabilities { get; }

    /// <summary>Gets the holdout rows (for the quality gate, which scores the champion on them).</summary>
    internal Dataset Test { get; }

    /// <summary>Gets the raw CSV table the holdout rows came from, so a champion maps them through its own columns; null for datasets.</summary>
    internal CsvTable? HoldoutTable { get; init; }

    /// <summary>Gets the holdout's row indices in <see cref="HoldoutTable"/>, or null when every row of it is held out.</summary>
    internal IReadOnlyList<int>? HoldoutTableRows { get; init; }

    /// <summary>Builds the save request of <see cref="Versioning.ModelVersionManager.ProposeMulticlassAsync"/>: schema, trainer, its options, row count and holdout metrics.</summary>
    /// <returns>The request; add properties with a <see langword="with"/> expression.</returns>
    public Versioning.ModelSaveRequest CreateSaveRequest() => new()
    {
        SchemaHash = Model.Info.Schema.Hash,
        TrainingRows = TrainRows,
        Trainer = Model.Info.Trainer,
        Metrics = Metrics,
        Properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["pq.objective"] = "multiclass", ["pq.classes"] = string.Join(",", Model.ClassNames) },
    };
}
