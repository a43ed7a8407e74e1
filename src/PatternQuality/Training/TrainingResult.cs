using PatternQuality.Data;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Training.Internal;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Training;

/// <summary>The outcome of <see cref="QualityTrainer"/>: the calibrated model, the report and the holdout scores.</summary>
public sealed class TrainingResult
{
    private readonly float[] _testLabels;
    private readonly float[] _testScores;

    internal TrainingResult(QualityModel model, TrainingReport report, float[] testLabels, float[] testScores, FeedbackWatermark? watermark, Dataset testData)
    {
        TestData = testData;
        Model = model;
        Report = report;
        _testLabels = testLabels;
        _testScores = testScores;
        Watermark = watermark;
    }

    /// <summary>Gets the calibrated model, with its history state and CSV column mapping when they are known.</summary>
    public QualityModel Model { get; }

    /// <summary>Gets the training report.</summary>
    public TrainingReport Report { get; }

    /// <summary>Gets the 0/1 labels of the holdout rows, in the order of <see cref="TestScores"/>.</summary>
    public ReadOnlyMemory<float> TestLabels => _testLabels;

    /// <summary>Gets the calibrated scores of the holdout rows (for reliability diagrams and quality gates).</summary>
    public ReadOnlyMemory<float> TestScores => _testScores;

    /// <summary>Gets the holdout rows (features, labels, weights), in the order of <see cref="TestScores"/>.</summary>
    /// <remarks>The quality gate scores them with the active model too, so both are judged on the same fresh rows.</remarks>
    public Dataset TestData { get; }

    /// <summary>Gets the sequence of the last feedback record trained on, or <see langword="null"/> when training came from a dataset.</summary>
    /// <remarks>Pass it to <see cref="IFeedbackSource{TPattern}.ReadAsync"/> to read only newer feedback next time.</remarks>
    public FeedbackWatermark? Watermark { get; }

    /// <summary>Gets where a CSV run's holdout rows came from, or <see langword="null"/> for other runs.</summary>
    internal CsvHoldoutSource? CsvSource { get; init; }

    /// <summary>
    /// Builds the holdout the quality gate judges this model on: its labels and scores, and the ability to score the
    /// same rows with whichever version is champion when <see cref="ModelVersionManager.ProposeAsync"/> decides.
    /// </summary>
    /// <returns>The holdout.</returns>
    /// <remarks>
    /// For a run on a CSV file the champion maps the same raw rows through its own saved columns, with history
    /// features replayed from an empty state exactly as the candidate's were (the champion's saved history may already
    /// hold these rows' labels); a champion that lacks a column the file has not, or that reads numbered features, is
    /// not comparable. For other runs the champion must read the same feature schema.
    /// </remarks>
    public PromotionHoldout CreateHoldout() => new TrainingHoldout(this);

    /// <summary>Builds what a version store records about this model: schema, rows, trainer and its options, metrics, watermark.</summary>
    /// <returns>A request to pass to <see cref="ModelVersionManager.ProposeAsync"/>; add properties with a <see langword="with"/> expression.</returns>
    public ModelSaveRequest CreateSaveRequest() => new()
    {
        SchemaHash = Model.Info.Schema.Hash,
        Watermark = Watermark ?? FeedbackWatermark.Start,
        TrainingRows = Report.Data.TrainRows,
        Trainer = Report.Trainer,
        TrainerOptions = Model.Predictor is TreeEnsembleModel trees ? trees.TrainingOptions : new Dictionary<string, string>(),
        Metrics = Report.Metrics,
    };
}
