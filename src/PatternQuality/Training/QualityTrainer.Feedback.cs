using PatternQuality.Features;
using PatternQuality.Feedback;

namespace PatternQuality.Training;

/// <content>Training from a feedback source.</content>
public sealed partial class QualityTrainer
{
    /// <summary>
    /// Reads all feedback from <paramref name="source"/>, extracts features causally (each row sees only the history of
    /// earlier feedback), then trains, calibrates and evaluates as <see cref="TrainAsync(Data.Dataset, Data.Dataset?, IProgress{TrainingProgress}?, CancellationToken)"/>.
    /// </summary>
    /// <typeparam name="TPattern">The host's pattern type.</typeparam>
    /// <param name="source">The feedback to learn from.</param>
    /// <param name="extractor">
    /// The feature extractor. Its history state is advanced over all feedback, and a copy is stored with the model so
    /// scoring sees the same history features.
    /// </param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>
    /// The calibrated model, the report, the holdout scores and the watermark (the last sequence read). With an extractor
    /// from <see cref="RowFeatureExtractor"/> the model keeps its columns (<see cref="Scoring.QualityModel.Columns"/>).
    /// </returns>
    /// <exception cref="InvalidOperationException">The source returned no feedback.</exception>
    /// <exception cref="ArgumentException">The feedback has only one outcome.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <remarks>With <see cref="SplitStrategy.Auto"/> the split is temporal: the latest feedback is the test set.</remarks>
    public async Task<TrainingResult> TrainAsync<TPattern>(
        IFeedbackSource<TPattern> source,
        FeatureExtractor<TPattern> extractor,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(extractor);
        var started = _time.GetTimestamp();
        progress?.Report(new TrainingProgress(TrainingStage.Extracting, 0, "reading feedback"));
        var records = new List<FeedbackRecord<TPattern>>();
        var last = -1L;
        await foreach (var record in source.ReadAsync(FeedbackWatermark.Start, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
            last = Math.Max(last, record.Sequence);
        }

        if (records.Count == 0)
        {
            throw new InvalidOperationException("The feedback source returned no feedback; there is nothing to train on.");
        }

        progress?.Report(new TrainingProgress(TrainingStage.Extracting, 0.01, $"extracting features of {records.Count:N0} feedback records"));
        var data = await Task.Run(() => extractor.ExtractTraining(records, cancellationToken), cancellationToken).ConfigureAwait(false);
        var input = new RunInput(data, null)
        {
            DataName = "feedback",
            History = HistoryOf(extractor),
            Columns = extractor.RowColumns,
            Watermark = new FeedbackWatermark(last),
            ExtractTime = _time.GetElapsedTime(started),
        };
        return await RunAsync(input, progress, cancellationToken).ConfigureAwait(false);
    }
}
