using PatternQuality.Data;
using PatternQuality.Scoring;
using PatternQuality.Telemetry;
using PatternQuality.Training.Internal;
using PatternQuality.Trees;

namespace PatternQuality.Training;

/// <content>Corpus pre-training and fine-tuning on feedback.</content>
public sealed partial class QualityTrainer
{
    /// <summary>
    /// Pre-trains a boosted model on a corpus of patterns whose labels are weak or synthetic (for example "validated
    /// blueprint = 1"), with <see cref="QualityTrainerOptions.GradientBoosting"/>. The result is the starting point of
    /// <see cref="FineTuneAsync"/>; it is not calibrated, since corpus labels say little about user approval rates.
    /// </summary>
    /// <param name="corpus">Corpus rows with 0/1 labels, laid out in the same schema as the feedback to come.</param>
    /// <param name="progress">Receives a report when pre-training starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The pre-trained ensemble.</returns>
    /// <exception cref="ArgumentException">A label is not 0/1 or the corpus has only one class.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<TreeEnsembleModel> PretrainAsync(Dataset corpus, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        cancellationToken.ThrowIfCancellationRequested();
        DatasetOps.EnsureBinaryWithBothClasses(corpus, "corpus", nameof(corpus));
        progress?.Report(new TrainingProgress(TrainingStage.Pretraining, 0, $"pre-training on {corpus.RowCount:N0} corpus rows"));
        return Task.Run(
            () =>
            {
                var t0 = _time.GetTimestamp();
                var model = new GradientBoostingLearner(Options.GradientBoosting).Fit(corpus, null, cancellationToken);
                Log.PretrainingCompleted(_logger, model.TreeCount, corpus.RowCount, _time.GetElapsedTime(t0).TotalMilliseconds);
                return model;
            },
            cancellationToken);
    }

    /// <summary>
    /// Continues boosting a pre-trained model on user feedback (<see cref="PretrainingOptions.FineTuneTrees"/> trees at
    /// <see cref="PretrainingOptions.FineTuneLearningRate"/>), then calibrates and evaluates as
    /// <see cref="TrainAsync(Dataset, Dataset?, IProgress{TrainingProgress}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="pretrained">A boosted model from <see cref="PretrainAsync"/> (or any boosted model with the feedback's schema).</param>
    /// <param name="feedback">Feedback rows with 0/1 labels.</param>
    /// <param name="test">Rows to evaluate on, or <see langword="null"/> to hold out a share of <paramref name="feedback"/>.</param>
    /// <param name="corpus">The corpus, replayed into fine-tuning at <see cref="PretrainingOptions.CorpusWeight"/> when that is above 0; otherwise ignored.</param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The calibrated fine-tuned model, the report and the holdout scores.</returns>
    /// <exception cref="ArgumentException">The model is a random forest, a label is not 0/1, or the feedback has only one class.</exception>
    /// <exception cref="Data.SchemaMismatchException">The feedback's schema differs from the model's.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <remarks>Out-of-fold calibration and cross-validation re-run the fine-tuning per fold from the same pre-trained model.</remarks>
    public Task<TrainingResult> FineTuneAsync(
        TreeEnsembleModel pretrained,
        Dataset feedback,
        Dataset? test = null,
        Dataset? corpus = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentNullException.ThrowIfNull(feedback);
        if (pretrained.IsRandomForest)
        {
            throw new ArgumentException("Fine-tuning continues boosting; the pre-trained model is a random forest.", nameof(pretrained));
        }

        pretrained.Schema.EnsureCompatible(feedback.Schema);
        return RunAsync(new RunInput(feedback, test) { DataName = "feedback", Start = pretrained, Corpus = corpus, CorpusRows = corpus?.RowCount ?? 0 }, progress, cancellationToken);
    }

    /// <summary>Pre-trains on <paramref name="corpus"/> and fine-tunes on <paramref name="feedback"/> in one call.</summary>
    /// <param name="corpus">Corpus rows with weak or synthetic 0/1 labels.</param>
    /// <param name="feedback">Feedback rows with 0/1 labels, in the corpus's schema.</param>
    /// <param name="test">Rows to evaluate on, or <see langword="null"/> to hold out a share of <paramref name="feedback"/>.</param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The calibrated fine-tuned model; <see cref="TrainingTimings.Pretrain"/> and <see cref="TrainingDataSummary.CorpusRows"/> describe the corpus stage.</returns>
    /// <exception cref="ArgumentException">A label is not 0/1, or the corpus or feedback has only one class.</exception>
    /// <exception cref="Data.SchemaMismatchException">The schemas differ.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<TrainingResult> PretrainAndFineTuneAsync(
        Dataset corpus, Dataset feedback, Dataset? test = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(feedback);
        corpus.Schema.EnsureCompatible(feedback.Schema);
        var t0 = _time.GetTimestamp();
        var pretrained = await PretrainAsync(corpus, progress, cancellationToken).ConfigureAwait(false);
        var pretrainTime = _time.GetElapsedTime(t0);
        var input = new RunInput(feedback, test)
        {
            DataName = "feedback",
            Start = pretrained,
            Corpus = corpus,
            CorpusRows = corpus.RowCount,
            PretrainTime = pretrainTime,
        };
        return await RunAsync(input, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wraps a pre-trained ensemble as an uncalibrated <see cref="QualityModel"/>, to score with it before any feedback exists.</summary>
    /// <param name="pretrained">The pre-trained ensemble.</param>
    /// <returns>A model that scores with the corpus model's raw probabilities.</returns>
    public static QualityModel ToQualityModel(TreeEnsembleModel pretrained)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        return new QualityModel(pretrained, null, new ModelInfo(pretrained.Schema, "gbdt-pretrained"));
    }
}
