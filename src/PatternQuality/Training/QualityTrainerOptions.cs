using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Calibration;
using PatternQuality.Internal;
using PatternQuality.Learning;
using PatternQuality.Trees;

namespace PatternQuality.Training;

/// <summary>Settings of <see cref="QualityTrainer"/>: which learner, how to split, calibrate and evaluate.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="QualityTrainerOptionsValidator"/> from the data annotations: at host
/// start-up (<c>ValidateOnStart</c>) and by the trainer's constructor alike; every out-of-range setting, nested ones
/// included, is reported in one <see cref="OptionsValidationException"/>.
/// </remarks>
public class QualityTrainerOptions
{
    /// <summary>Gets or sets the learner to fit.</summary>
    /// <value>The default value is <see cref="TrainerKind.Gbdt"/>.</value>
    [EnumDataType(typeof(TrainerKind), ErrorMessage = "The field {0} must be Gbdt or Forest.")]
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
    [Required]
    [ValidateObjectMembers(typeof(GradientBoostingOptionsValidator))]
    public GradientBoostingOptions GradientBoosting { get; set; } = new();

    /// <summary>Gets or sets the settings of the random-forest learner.</summary>
    /// <value>The default value is a <see cref="RandomForestOptions"/> with its own defaults.</value>
    /// <remarks>Used when <see cref="Trainer"/> is <see cref="TrainerKind.Forest"/>.</remarks>
    [Required]
    [ValidateObjectMembers(typeof(RandomForestOptionsValidator))]
    public RandomForestOptions RandomForest { get; set; } = new();

    /// <summary>Gets or sets how test rows are held out when no test set is passed.</summary>
    /// <value>The default value is <see cref="SplitStrategy.Auto"/> (temporal when the data has timestamps, random otherwise).</value>
    [EnumDataType(typeof(SplitStrategy), ErrorMessage = "The field {0} must be Auto, Random, Temporal or FileOrder.")]
    public SplitStrategy Split { get; set; } = SplitStrategy.Auto;

    /// <summary>Gets or sets the share of rows held out for testing when no test set is passed.</summary>
    /// <value>The default value is 0.2. Allowed: greater than 0, at most 0.9.</value>
    [Range(0.0, 0.9, MinimumIsExclusive = true)]
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the seed of the random split, the calibration folds and cross-validation.</summary>
    /// <value>The default value is 42.</value>
    /// <remarks>The learners keep their own seeds (<see cref="GradientBoostingOptions.Seed"/>, <see cref="RandomForestOptions.Seed"/>).</remarks>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets how raw model probabilities are calibrated.</summary>
    /// <value>The default value is <see cref="CalibrationMethod.Auto"/>.</value>
    /// <remarks>Any method other than <see cref="CalibrationMethod.None"/> costs <see cref="CalibrationFolds"/> extra fits.</remarks>
    [EnumDataType(typeof(CalibrationMethod), ErrorMessage = "The field {0} must be None, Platt, Isotonic or Auto.")]
    public CalibrationMethod Calibration { get; set; } = CalibrationMethod.Auto;

    /// <summary>Gets or sets how a multiclass model's raw scores are calibrated (see <see cref="QualityTrainer.TrainMulticlassAsync(Features.CsvLoadResult, Features.CsvLoadResult?, IProgress{TrainingProgress}?, CancellationToken)"/>).</summary>
    /// <value>The default value is <see cref="MulticlassCalibrationMethod.Auto"/>: none, temperature or vector scaling, whichever has the lowest cross-fitted log loss on <see cref="CalibrationFolds"/>-fold out-of-fold raw scores.</value>
    [EnumDataType(typeof(MulticlassCalibrationMethod), ErrorMessage = "The field {0} must be None, Temperature, Vector or Auto.")]
    public MulticlassCalibrationMethod MulticlassCalibration { get; set; } = MulticlassCalibrationMethod.Auto;

    /// <summary>
    /// Gets or sets the share of a multiclass run's training rows held out as a validation split: boosting stops when
    /// the validation log loss has not improved for max(10, trees / 10) rounds (or
    /// <see cref="GradientBoostingOptions.EarlyStoppingRounds"/> when set), and the final model is refitted on all
    /// training rows with the chosen number of rounds.
    /// </summary>
    /// <value>The default value is 0.2. 0 turns it off (all <see cref="GradientBoostingOptions.NumberOfTrees"/> rounds, <see cref="CalibrationFolds"/>-fold out-of-fold calibration). Allowed: 0 to 0.5.</value>
    /// <remarks>
    /// The validation rows are the latest training rows when the split is temporal or in file order (so they measure the
    /// model on a later period, as the holdout does), and the calibration is then fitted on their raw scores, which show
    /// the drift out-of-fold scores from inside the training period cannot; otherwise they are a stratified random share
    /// and the calibration stays <see cref="CalibrationFolds"/>-fold out of fold (with the chosen rounds). Runs too small
    /// for every class to occur in both parts fall back to the off behaviour with a warning.
    /// </remarks>
    [Range(0.0, 0.5)]
    public double MulticlassValidationFraction { get; set; } = 0.2;

    /// <summary>Gets or sets what <see cref="CalibrationMethod.Auto"/> minimises.</summary>
    /// <value>The default value is <see cref="CalibrationCriterion.Brier"/>.</value>
    [EnumDataType(typeof(CalibrationCriterion), ErrorMessage = "The field {0} must be Brier or LogLoss.")]
    public CalibrationCriterion CalibrationCriterion { get; set; } = CalibrationCriterion.Brier;

    /// <summary>Gets or sets the number of folds of the out-of-fold predictions the calibrator is fitted on.</summary>
    /// <value>The default value is 5. Allowed: 2 to 20.</value>
    [Range(2, 20)]
    public int CalibrationFolds { get; set; } = 5;

    /// <summary>Gets or sets the number of cross-validation folds reported on the training rows; 0 skips cross-validation.</summary>
    /// <value>The default value is 0. Allowed: 0, or 2 to 20.</value>
    /// <remarks>When it equals <see cref="CalibrationFolds"/> and folds are not grouped, the calibrator reuses the cross-validation's out-of-fold predictions.</remarks>
    [Range(0, 20)]
    [DeniedValues(1, ErrorMessage = "The field {0} must be 0 (no cross-validation) or between 2 and 20.")]
    public int CrossValidationFolds { get; set; }

    /// <summary>Gets or sets a value indicating whether cross-validation folds keep each group (user) on one side.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>Needs groups in the data (from the user ids of feedback, or <see cref="Data.CsvLoadOptions.GroupColumn"/>).</remarks>
    public bool GroupedCrossValidation { get; set; }

    /// <summary>Gets or sets a value indicating whether permutation importance is measured on the holdout (one re-scoring per feature and repeat).</summary>
    /// <value>The default value is <see langword="false"/>; gain importance from the trees is always reported.</value>
    public bool PermutationImportance { get; set; }

    /// <summary>Gets or sets the LambdaRank settings that make the trainer learn to rank; <see langword="null"/> trains an approve/reject classifier.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// When set, rows carry graded relevance labels (0 to 31; above 0 counts as accepted) and belong to query groups
    /// (<see cref="Data.Dataset.QueryBoundaries"/>, or group keys regrouped with <see cref="Data.Dataset.GroupByQuery"/>);
    /// the holdout takes whole queries, the built-in gradient boosting fits <see cref="GradientBoostingLearner.FitRanking"/>,
    /// the calibrator is fitted on out-of-fold ranking scores against acceptance (so <see cref="Scoring.QualityModel.Score(System.ReadOnlySpan{float})"/>
    /// is a calibrated acceptance probability), and the report adds NDCG@1/3/5, MAP and MRR (<see cref="Evaluation.RankingMetrics.Compute"/>).
    /// </remarks>
    [ValidateObjectMembers(typeof(LambdaRankOptionsValidator))]
    public LambdaRankOptions? Ranking { get; set; }

    /// <summary>Gets or sets the settings of corpus pre-training and fine-tuning.</summary>
    /// <value>The default value is a <see cref="PretrainingOptions"/> with its own defaults.</value>
    [Required]
    [ValidateObjectMembers(typeof(PretrainingOptionsValidator))]
    public PretrainingOptions Pretraining { get; set; } = new();

    /// <summary>Throws when a setting is out of range, naming every such setting (nested ones included) and its allowed range.</summary>
    /// <remarks>
    /// Runs <see cref="QualityTrainerOptionsValidator"/>, the source-generated validator that <c>ValidateOnStart</c> runs in
    /// a host, so both report the same problems in the same words. Nested settings are named by their path, such as
    /// <c>QualityTrainerOptions.GradientBoosting.NumberOfTrees</c>.
    /// </remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new QualityTrainerOptionsValidator());
}

/// <summary>
/// Checks the data annotations of <see cref="QualityTrainerOptions"/> and, through their own validators, of the nested
/// learner and pre-training options; generated at compile time (no reflection).
/// </summary>
[OptionsValidator]
internal sealed partial class QualityTrainerOptionsValidator : IValidateOptions<QualityTrainerOptions>;
