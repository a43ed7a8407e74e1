using System.Globalization;
using Microsoft.Extensions.Options;
using PatternQuality.Calibration;
using PatternQuality.Learning;
using PatternQuality.Trees;

namespace PatternQuality.Training;

/// <summary>Settings of <see cref="QualityTrainer"/>: which learner, how to split, calibrate and evaluate.</summary>
/// <remarks>Call <see cref="Validate"/> (the trainer's constructor does) to get every out-of-range setting in one exception.</remarks>
public class QualityTrainerOptions
{
    /// <summary>Gets or sets the learner to fit.</summary>
    /// <value>The default value is <see cref="TrainerKind.Gbdt"/>.</value>
    public TrainerKind Trainer { get; set; } = TrainerKind.Gbdt;

    /// <summary>Gets or sets a learner that replaces the built-in ones, for example an ML.NET trainer from the PatternQuality.MLNet package.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="Trainer"/> picks a built-in learner.</value>
    /// <remarks>
    /// When set, <see cref="Trainer"/>, <see cref="GradientBoosting"/> and <see cref="RandomForest"/> are ignored for training;
    /// cross-validation and calibration fit this learner too. It must be safe to call from several threads at once.
    /// </remarks>
    public ILearner? Learner { get; set; }

    /// <summary>Gets or sets the settings of the gradient-boosting learner.</summary>
    /// <value>The default value is a <see cref="GradientBoostingOptions"/> with its own defaults (100 trees, 31 leaves).</value>
    /// <remarks>Used when <see cref="Trainer"/> is <see cref="TrainerKind.Gbdt"/> and by pre-training.</remarks>
    public GradientBoostingOptions GradientBoosting { get; set; } = new();

    /// <summary>Gets or sets the settings of the random-forest learner.</summary>
    /// <value>The default value is a <see cref="RandomForestOptions"/> with its own defaults.</value>
    /// <remarks>Used when <see cref="Trainer"/> is <see cref="TrainerKind.Forest"/>.</remarks>
    public RandomForestOptions RandomForest { get; set; } = new();

    /// <summary>Gets or sets how test rows are held out when no test set is passed.</summary>
    /// <value>The default value is <see cref="SplitStrategy.Auto"/> (temporal when the data has timestamps, random otherwise).</value>
    public SplitStrategy Split { get; set; } = SplitStrategy.Auto;

    /// <summary>Gets or sets the share of rows held out for testing when no test set is passed.</summary>
    /// <value>The default value is 0.2. Allowed: greater than 0, at most 0.9.</value>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the seed of the random split, the calibration folds and cross-validation.</summary>
    /// <value>The default value is 42.</value>
    /// <remarks>The learners keep their own seeds (<see cref="GradientBoostingOptions.Seed"/>, <see cref="RandomForestOptions.Seed"/>).</remarks>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets how raw model probabilities are calibrated.</summary>
    /// <value>The default value is <see cref="CalibrationMethod.Auto"/>.</value>
    /// <remarks>Any method other than <see cref="CalibrationMethod.None"/> costs <see cref="CalibrationFolds"/> extra fits.</remarks>
    public CalibrationMethod Calibration { get; set; } = CalibrationMethod.Auto;

    /// <summary>Gets or sets what <see cref="CalibrationMethod.Auto"/> minimises.</summary>
    /// <value>The default value is <see cref="CalibrationCriterion.Brier"/>.</value>
    public CalibrationCriterion CalibrationCriterion { get; set; } = CalibrationCriterion.Brier;

    /// <summary>Gets or sets the number of folds of the out-of-fold predictions the calibrator is fitted on.</summary>
    /// <value>The default value is 5. Allowed: 2 to 20.</value>
    public int CalibrationFolds { get; set; } = 5;

    /// <summary>Gets or sets the number of cross-validation folds reported on the training rows; 0 skips cross-validation.</summary>
    /// <value>The default value is 0. Allowed: 0, or 2 to 20.</value>
    /// <remarks>When it equals <see cref="CalibrationFolds"/> and folds are not grouped, the calibrator reuses the cross-validation's out-of-fold predictions.</remarks>
    public int CrossValidationFolds { get; set; }

    /// <summary>Gets or sets a value indicating whether cross-validation folds keep each group (user) on one side.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>Needs groups in the data (from the user ids of feedback, or <see cref="Data.CsvLoadOptions.GroupColumn"/>).</remarks>
    public bool GroupedCrossValidation { get; set; }

    /// <summary>Gets or sets a value indicating whether permutation importance is measured on the holdout (one re-scoring per feature and repeat).</summary>
    /// <value>The default value is <see langword="false"/>; gain importance from the trees is always reported.</value>
    public bool PermutationImportance { get; set; }

    /// <summary>Gets or sets the settings of corpus pre-training and fine-tuning.</summary>
    /// <value>The default value is a <see cref="PretrainingOptions"/> with its own defaults.</value>
    public PretrainingOptions Pretraining { get; set; } = new();

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Trainer))
        {
            errors.Add($"{nameof(Trainer)} is {(int)Trainer}; allowed: Gbdt or Forest.");
        }

        if (!Enum.IsDefined(Split))
        {
            errors.Add($"{nameof(Split)} is {(int)Split}; allowed: Auto, Random, Temporal or FileOrder.");
        }

        if (!(TestFraction > 0 && TestFraction <= 0.9))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(TestFraction)} is {TestFraction}; allowed: greater than 0, at most 0.9."));
        }

        if (!Enum.IsDefined(Calibration))
        {
            errors.Add($"{nameof(Calibration)} is {(int)Calibration}; allowed: None, Platt, Isotonic or Auto.");
        }

        if (!Enum.IsDefined(CalibrationCriterion))
        {
            errors.Add($"{nameof(CalibrationCriterion)} is {(int)CalibrationCriterion}; allowed: Brier or LogLoss.");
        }

        if (CalibrationFolds is < 2 or > 20)
        {
            errors.Add($"{nameof(CalibrationFolds)} is {CalibrationFolds}; allowed: 2 to 20.");
        }

        if (CrossValidationFolds != 0 && CrossValidationFolds is < 2 or > 20)
        {
            errors.Add($"{nameof(CrossValidationFolds)} is {CrossValidationFolds}; allowed: 0 (none) or 2 to 20.");
        }

        Nested(errors, nameof(GradientBoosting), GradientBoosting, o => o.Validate());
        Nested(errors, nameof(RandomForest), RandomForest, o => o.Validate());
        Nested(errors, nameof(Pretraining), Pretraining, o => o.Validate());
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(QualityTrainerOptions), typeof(QualityTrainerOptions), errors);
        }
    }

    private static void Nested<T>(List<string> errors, string name, T? options, Action<T> validate)
        where T : class
    {
        if (options is null)
        {
            errors.Add($"{name} is null; set it to an options instance.");
            return;
        }

        try
        {
            validate(options);
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Failures.Select(f => $"{name}.{f}"));
        }
    }
}
