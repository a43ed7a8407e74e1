using System.Text.Json.Serialization;
using PatternQuality.Calibration;
using PatternQuality.Internal;
using PatternQuality.Validation;

namespace PatternQuality.Training;

/// <summary>What a training run did and how well the model does on rows it never saw.</summary>
public sealed class TrainingReport
{
    internal TrainingReport(
        string trainer,
        int? fineTuneTrees,
        IReadOnlyDictionary<string, double> metrics,
        IReadOnlyDictionary<string, double> uncalibratedMetrics,
        CalibrationFitResult? calibration,
        CrossValidationResult? crossValidation,
        IReadOnlyDictionary<string, double> gainImportance,
        PermutationImportanceResult? permutationImportance,
        TrainingTimings timings,
        TrainingDataSummary data,
        IReadOnlyList<string> warnings)
    {
        Trainer = trainer;
        FineTuneTrees = fineTuneTrees;
        Metrics = metrics;
        UncalibratedMetrics = uncalibratedMetrics;
        Calibration = calibration;
        CrossValidation = crossValidation;
        GainImportance = gainImportance;
        PermutationImportance = permutationImportance;
        Timings = timings;
        Data = data;
        Warnings = warnings;
    }

    /// <summary>Gets the learner's name: "gbdt", "forest" or "gbdt+pretrained".</summary>
    public string Trainer { get; }

    /// <summary>Gets the number of trees fine-tuning added to the pre-trained model, or <see langword="null"/> without pre-training.</summary>
    /// <remarks>0 means the pre-trained model scored best as is on the feedback (see <see cref="PretrainingOptions.SelectFineTuneTrees"/>).</remarks>
    public int? FineTuneTrees { get; }

    /// <summary>
    /// Gets the holdout metrics of the calibrated model, keyed by <see cref="Evaluation.MetricNames"/> (auc, pr_auc,
    /// accuracy, precision, recall, f1, logloss, brier, ece).
    /// </summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Gets the same holdout metrics before calibration, to show what calibration changed.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public IReadOnlyDictionary<string, double> UncalibratedMetrics { get; }

    /// <summary>Gets the calibration method chosen and the evidence (candidates and their scores), or <see langword="null"/> when calibration is off.</summary>
    public CalibrationFitResult? Calibration { get; }

    /// <summary>Gets the calibration method the model uses.</summary>
    public CalibrationMethod CalibrationMethod => Calibration?.Method ?? CalibrationMethod.None;

    /// <summary>Gets the cross-validation result on the training rows, or <see langword="null"/> when not asked.</summary>
    public CrossValidationResult? CrossValidation { get; }

    /// <summary>Gets each feature's share of the total split gain of the trees (summing to 1), keyed by feature name.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public IReadOnlyDictionary<string, double> GainImportance { get; }

    /// <summary>Gets the permutation importance on the holdout, or <see langword="null"/> when not asked.</summary>
    public PermutationImportanceResult? PermutationImportance { get; }

    /// <summary>Gets how long each stage took.</summary>
    public TrainingTimings Timings { get; }

    /// <summary>Gets the row counts, positive rates, time range and feature count.</summary>
    public TrainingDataSummary Data { get; }

    /// <summary>Gets warnings from the learners and the trainer (for example a training set too small to split).</summary>
    public IReadOnlyList<string> Warnings { get; }
}
