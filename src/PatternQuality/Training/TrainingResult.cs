using PatternQuality.Feedback;
using PatternQuality.Scoring;

namespace PatternQuality.Training;

/// <summary>The outcome of <see cref="QualityTrainer"/>: the calibrated model, the report and the holdout scores.</summary>
public sealed class TrainingResult
{
    private readonly float[] _testLabels;
    private readonly float[] _testScores;

    internal TrainingResult(QualityModel model, TrainingReport report, float[] testLabels, float[] testScores, FeedbackWatermark? watermark)
    {
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

    /// <summary>Gets the sequence of the last feedback record trained on, or <see langword="null"/> when training came from a dataset.</summary>
    /// <remarks>Pass it to <see cref="IFeedbackSource{TPattern}.ReadAsync"/> to read only newer feedback next time.</remarks>
    public FeedbackWatermark? Watermark { get; }
}
