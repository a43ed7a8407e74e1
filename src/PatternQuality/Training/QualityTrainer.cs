using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Learning;
using PatternQuality.Scoring;
using PatternQuality.Telemetry;
using PatternQuality.Training.Internal;
using PatternQuality.Trees;
using PatternQuality.Validation;

namespace PatternQuality.Training;

/// <summary>
/// The training pipeline: split, train (gradient boosting or a random forest), calibrate on out-of-fold predictions,
/// evaluate on the holdout and report. Optionally pre-trains on a corpus with weak labels and fine-tunes on feedback.
/// </summary>
/// <remarks>
/// A trainer holds no state between runs and may be used for several runs, also concurrently. Work runs on the thread
/// pool; progress is reported when each stage starts, and cancellation is honoured between and within stages.
/// </remarks>
public sealed partial class QualityTrainer
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PatternQualityMetrics _metrics;

    /// <summary>Initializes a new instance of the <see cref="QualityTrainer"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults. They are validated here and must not change afterwards.</param>
    /// <param name="logger">Receives start, completion and warnings, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timings and the model's creation time, or <see langword="null"/> for the system clock.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter (training count and duration); the shared static meter when <see langword="null"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public QualityTrainer(QualityTrainerOptions? options = null, ILogger<QualityTrainer>? logger = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        options ??= new QualityTrainerOptions();
        options.Validate();
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = PatternQualityMetrics.Create(meterFactory);
    }

    /// <summary>Gets the settings.</summary>
    public QualityTrainerOptions Options { get; }

    /// <summary>Trains, calibrates and evaluates a model on a dataset.</summary>
    /// <param name="data">Rows with 0/1 labels; split into training and test rows by <see cref="QualityTrainerOptions.Split"/> unless <paramref name="test"/> is given.</param>
    /// <param name="test">Rows to evaluate on (never trained on), or <see langword="null"/> to hold out a share of <paramref name="data"/>.</param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The calibrated model, the report and the holdout scores.</returns>
    /// <exception cref="ArgumentException">A label is not 0/1, the data has only one class, or the test set's schema differs.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<TrainingResult> TrainAsync(
        Dataset data, Dataset? test = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return RunAsync(new RunInput(data, test), progress, cancellationToken);
    }

    /// <summary>Trains on a loaded CSV file; the model keeps the file's column mapping and history state, so it can score raw rows.</summary>
    /// <param name="data">The result of <see cref="CsvDatasetLoader.Load(string, CsvLoadOptions, CancellationToken)"/>.</param>
    /// <param name="test">
    /// A test file loaded with <paramref name="data"/>'s extractor (so its history features continue the training
    /// file's), or <see langword="null"/> to hold out a share of <paramref name="data"/> by <see cref="QualityTrainerOptions.Split"/>.
    /// </param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The calibrated model (with <see cref="QualityModel.Columns"/> set), the report and the holdout scores.</returns>
    /// <exception cref="ArgumentException">A label is not 0/1, the data has only one class, or the test set's schema differs.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <remarks>
    /// The result remembers where the holdout rows came from, so <see cref="TrainingResult.CreateHoldout"/> can map the
    /// very same raw rows through another model's own columns when the quality gate scores the champion.
    /// </remarks>
    public Task<TrainingResult> TrainAsync(
        CsvLoadResult data, CsvLoadResult? test = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        CsvHoldoutSource? source = null;
        if (data.SourcePath is { } path && data.Options is { } options && (test is null || test.SourcePath is not null))
        {
            source = new CsvHoldoutSource(path, test?.SourcePath, options);
        }

        return RunAsync(
            new RunInput(data.Dataset, test?.Dataset) { History = HistoryOf(data.Extractor), Columns = data.Columns, CsvSource = source },
            progress,
            cancellationToken);
    }

    private static HistoryState? HistoryOf<T>(FeatureExtractor<T> extractor) =>
        extractor.HistoryFeatures.Count > 0 ? extractor.History.Clone() : null;

    private Task<TrainingResult> RunAsync(RunInput input, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Options.Ranking is { } ranking)
        {
            return Measured(Task.Run(() => RunRanking(input, ranking, progress, cancellationToken), cancellationToken), input.ExtractTime);
        }

        DatasetOps.EnsureBinaryWithBothClasses(input.Data, input.DataName, "data");
        if (input.Test is { } t)
        {
            input.Data.Schema.EnsureCompatible(t.Schema);
            if (t.RowCount == 0)
            {
                throw new ArgumentException("The test set has no rows.", "test");
            }
        }

        // Training is CPU-bound and takes seconds to minutes: it runs on a thread of its own (LongRunning), not on a
        // thread-pool thread, so a host's request handlers (ASP.NET Core runs them on the pool, which starts with one
        // thread per core) never wait behind it for the pool to inject threads.
        return Measured(
            Task.Factory.StartNew(() => Run(input, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default),
            input.ExtractTime + input.PretrainTime);
    }

    // Counts and times the training once it has started (invalid input above throws before it counts as one).
    private async Task<T> Measured<T>(Task<T> training, TimeSpan extractTime)
    {
        var started = _time.GetTimestamp();
        var outcome = "failed";
        try
        {
            var result = await training.ConfigureAwait(false);
            outcome = "succeeded";
            return result;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            _metrics.RecordTraining(outcome, extractTime + _time.GetElapsedTime(started));
        }
    }

    private TrainingResult Run(RunInput input, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var warnings = new List<string>();

        Report(progress, TrainingStage.Splitting, 0.02, $"splitting {input.Data.RowCount:N0} rows");
        var (train, test, split, cutoff, testRows) = SplitData(input, ct);
        DatasetOps.EnsureBinaryWithBothClasses(train, "training split", "data");
        var learner = CreateLearner(input);
        Log.TrainingStarted(_logger, learner.Name, train.RowCount, test.RowCount, split.ToString(), train.Schema.Count);

        CrossValidationResult? cv = null;
        var cvTime = TimeSpan.Zero;
        if (Options.CrossValidationFolds > 0)
        {
            Report(progress, TrainingStage.CrossValidating, 0.05, $"{Options.CrossValidationFolds}-fold cross-validation on {train.RowCount:N0} rows");
            var t0 = _time.GetTimestamp();
            var cvOptions = new CrossValidationOptions { Folds = Options.CrossValidationFolds, Grouped = Options.GroupedCrossValidation, Seed = Options.Seed };
            var total = Options.CrossValidationFolds;
            var foldProgress = progress is null ? null : new SyncProgress<CrossValidationProgress>(p => Report(
                progress, TrainingStage.CrossValidating, 0.05 + (0.35 * p.CompletedFolds / total), $"fold {p.CompletedFolds} of {total} done"));
            cv = CrossValidator.Run(learner, train, cvOptions, foldProgress, ct);
            warnings.AddRange(cv.Warnings);
            cvTime = _time.GetElapsedTime(t0);
        }

        CalibrationFitResult? calibration = null;
        var calibrateTime = TimeSpan.Zero;
        if (Options.Calibration != CalibrationMethod.None)
        {
            Report(progress, TrainingStage.Calibrating, 0.4, $"{Options.Calibration} calibration on {Options.CalibrationFolds}-fold out-of-fold predictions");
            var t0 = _time.GetTimestamp();
            calibration = cv is not null && Options.CrossValidationFolds == Options.CalibrationFolds && !Options.GroupedCrossValidation
                ? CalibrationFitter.Fit(
                    cv.OutOfFoldProbabilities.ToArray(), train.Labels.Span, train.WeightSpan, Options.Calibration, Options.CalibrationCriterion, Options.Seed, ct)
                : CalibrationFitter.FitOutOfFold(learner, train, Options.Calibration, Options.CalibrationFolds, Options.Seed, Options.CalibrationCriterion, ct);
            calibrateTime = _time.GetElapsedTime(t0);
            Log.CalibrationChosen(_logger, calibration.Method.ToString(), calibration.Requested.ToString(), train.RowCount);
        }

        Report(progress, TrainingStage.Training, 0.7, $"fitting {learner.Name} on {train.RowCount:N0} rows");
        var trainStart = _time.GetTimestamp();
        var predictor = learner.Fit(train, null, ct);
        var trainTime = _time.GetElapsedTime(trainStart);
        int? addedTrees = learner is ContinuedBoostingLearner continued ? continued.LastAddedTrees : null;
        if (predictor is TreeEnsembleModel ensemble)
        {
            warnings.AddRange(ensemble.TrainingWarnings);
        }

        Report(progress, TrainingStage.Evaluating, 0.9, $"scoring {test.RowCount:N0} holdout rows");
        var evalStart = _time.GetTimestamp();
        var calibrator = calibration?.Calibrator ?? IdentityCalibrator.Instance;
        var raw = new float[test.RowCount];
        predictor.PredictProbability(test.Features.Span, raw);
        var scores = new float[raw.Length];
        calibrator.Calibrate(raw, scores);
        var labels = test.Labels.ToArray();
        var testWeights = test.WeightSpan;
        var uncalibrated = BinaryEvaluation.Compute(labels, raw, 0.5, testWeights).ToDictionary();
        var metrics = BinaryEvaluation.Compute(labels, scores, 0.5, testWeights).ToDictionary();
        ct.ThrowIfCancellationRequested();
        var gain = GainShares(predictor);
        PermutationImportanceResult? permutation = null;
        if (Options.PermutationImportance)
        {
            permutation = Validation.PermutationImportance.Compute(predictor, test, new PermutationImportanceOptions { Seed = Options.Seed }, ct);
        }

        var evalTime = _time.GetElapsedTime(evalStart);
        var totalTime = _time.GetElapsedTime(started) + input.ExtractTime + input.PretrainTime;
        foreach (var w in warnings)
        {
            Log.TrainingWarning(_logger, w);
        }

        var (first, last) = DatasetOps.TimeRange(input.Data);
        var summary = new TrainingDataSummary(
            train.RowCount, test.RowCount, DatasetOps.PositiveRate(train), DatasetOps.PositiveRate(test), train.Schema.Count,
            first, last, cutoff is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null, split, input.CorpusRows);
        var timings = new TrainingTimings(input.ExtractTime, input.PretrainTime, cvTime, calibrateTime, trainTime, evalTime, totalTime);
        var report = new TrainingReport(learner.Name, addedTrees, metrics, uncalibrated, calibration, cv, gain, permutation, timings, summary, warnings);
        var info = new ModelInfo(predictor.Schema, learner.Name) { Metrics = metrics, CreatedAt = _time.GetUtcNow() };
        var model = new QualityModel(predictor, calibrator, info, input.History, input.Columns);
        Log.TrainingCompleted(_logger, learner.Name, totalTime.TotalMilliseconds, metrics[MetricNames.Auc], metrics[MetricNames.LogLoss], metrics[MetricNames.Ece]);
        Report(progress, TrainingStage.Completed, 1.0, string.Create(CultureInfo.InvariantCulture, $"done: holdout AUC {metrics[MetricNames.Auc]:F4}"));
        return new TrainingResult(model, report, labels, scores, input.Watermark, test)
        {
            CsvSource = input.CsvSource is { } source ? source with { TestRows = testRows } : null,
        };
    }

    /// <summary>The one place rows are split into training and holdout rows (the CLI included).</summary>
    /// <returns>Both sides; <c>TestRows</c> are the holdout's row indices in <see cref="RunInput.Data"/>, null when a test set was given.</returns>
    private (Dataset Train, Dataset Test, SplitStrategy Split, long? Cutoff, IReadOnlyList<int>? TestRows) SplitData(RunInput input, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var data = input.Data;
        if (input.Test is { } test)
        {
            return (data, test, Options.Split, null, null);
        }

        if (data.RowCount < 2)
        {
            throw new ArgumentException($"The {input.DataName} has {data.RowCount} row; holding out a test set needs at least 2.", "data");
        }

        var split = Options.Split;
        if (split == SplitStrategy.Auto)
        {
            split = data.Timestamps is { Length: > 0 } ? SplitStrategy.Temporal : SplitStrategy.Random;
        }

        switch (split)
        {
            case SplitStrategy.Random:
                {
                    var s = DataSplitter.StratifiedHoldout(data, Options.TestFraction, Options.Seed);
                    return (s.Train, s.Test, split, null, s.TestRows);
                }

            case SplitStrategy.Temporal:
                {
                    var s = DataSplitter.TemporalHoldout(data, Options.TestFraction);
                    return (s.Train, s.Test, split, s.CutoffTimestamp, s.TestRows);
                }

            default:
                {
                    var n = data.RowCount;
                    var testCount = Math.Clamp((int)Math.Round(n * Options.TestFraction, MidpointRounding.AwayFromZero), 1, n - 1);
                    var testRows = Enumerable.Range(n - testCount, testCount).ToArray();
                    return (data.Select(Enumerable.Range(0, n - testCount).ToArray()), data.Select(testRows), split, null, testRows);
                }
        }
    }

    private ILearner CreateLearner(RunInput input)
    {
        if (input.Start is { } start)
        {
            var fineTune = ContinuedBoostingLearner.FineTuneOptions(Options.GradientBoosting, Options.Pretraining);
            return new ContinuedBoostingLearner(start, fineTune, Options.Pretraining, input.Corpus, Options.Seed);
        }

        if (Options.Learner is { } custom)
        {
            return custom;
        }

        return Options.Trainer == TrainerKind.Forest
            ? new RandomForestLearner(Options.RandomForest)
            : new GradientBoostingLearner(Options.GradientBoosting);
    }

    private static Dictionary<string, double> GainShares(IPredictor predictor)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (predictor is not TreeEnsembleModel model)
        {
            return result;
        }

        var importance = model.GetFeatureImportance();
        var total = importance.Values.Sum(i => i.Gain);
        foreach (var (name, value) in importance)
        {
            result[name] = total > 0 ? value.Gain / total : 0;
        }

        return result;
    }

    private static void Report(IProgress<TrainingProgress>? progress, TrainingStage stage, double fraction, string message) =>
        progress?.Report(new TrainingProgress(stage, fraction, message));

    /// <summary>Everything a run needs besides the options; the entry points fill what they know.</summary>
    private sealed record RunInput(Dataset Data, Dataset? Test)
    {
        public string DataName { get; init; } = "training data";

        public HistoryState? History { get; init; }

        public IReadOnlyList<RowColumn>? Columns { get; init; }

        public FeedbackWatermark? Watermark { get; init; }

        public TimeSpan ExtractTime { get; init; }

        public TreeEnsembleModel? Start { get; init; }

        public Dataset? Corpus { get; init; }

        public int CorpusRows { get; init; }

        public TimeSpan PretrainTime { get; init; }

        public CsvHoldoutSource? CsvSource { get; init; }
    }

    /// <summary>Reports synchronously on the calling thread (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
