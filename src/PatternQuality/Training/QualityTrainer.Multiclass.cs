using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Telemetry;
using PatternQuality.Trees;
using PatternQuality.Validation;

namespace PatternQuality.Training;

/// <content>Multiclass training: softmax gradient boosting with rounds chosen on a validation split, temperature or vector scaling fitted on held-out raw scores, holdout metrics.</content>
public sealed partial class QualityTrainer
{
    /// <summary>Trains, calibrates and evaluates a multiclass model on a CSV file loaded with <see cref="CsvLoadOptions.Multiclass"/>.</summary>
    /// <param name="data">The loaded file; its <see cref="CsvLoadResult.ClassNames"/> name the classes.</param>
    /// <param name="test">A test file loaded with <paramref name="data"/>'s extractor and class names, or <see langword="null"/> to hold out a share of <paramref name="data"/>.</param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The calibrated model (with the file's column mapping) and its holdout evaluation.</returns>
    /// <exception cref="ArgumentException">The file was not loaded as multiclass, the test file numbers the classes differently, or the data has fewer than two classes.</exception>
    /// <exception cref="NotSupportedException">The options ask for a random forest or a custom learner (multiclass training is softmax gradient boosting).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<MulticlassTrainingResult> TrainMulticlassAsync(
        CsvLoadResult data, CsvLoadResult? test = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var names = data.ClassNames
            ?? throw new ArgumentException($"The data was loaded with 0/1 labels; load it with {nameof(CsvLoadOptions)}.{nameof(CsvLoadOptions.Multiclass)} set.", nameof(data));
        if (test is not null && (test.ClassNames is null || !test.ClassNames.SequenceEqual(names, StringComparer.Ordinal)))
        {
            throw new ArgumentException(
                $"The test file's classes ({string.Join(", ", test.ClassNames ?? [])}) are not the training file's ({string.Join(", ", names)}); load it with {nameof(CsvLoadOptions.ClassNames)} set to the training file's.",
                nameof(test));
        }

        return TrainMulticlassCoreAsync(data.Dataset, names, test?.Dataset, new MulticlassSource(data.Columns, test?.Table ?? data.Table, test is null), progress, cancellationToken);
    }

    /// <summary>Trains, calibrates and evaluates a multiclass model on a dataset whose labels are class indexes.</summary>
    /// <param name="data">Rows with labels 0 to <paramref name="classNames"/>.Count - 1.</param>
    /// <param name="classNames">One name per class, in class-index order.</param>
    /// <param name="test">Rows to evaluate on, or <see langword="null"/> to hold out a share of <paramref name="data"/>.</param>
    /// <param name="progress">Receives a report as each stage starts, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The calibrated model and its holdout evaluation.</returns>
    /// <exception cref="ArgumentException">A label is not a class index, fewer than two classes are named, or the test set's schema differs.</exception>
    /// <exception cref="NotSupportedException">The options ask for a random forest or a custom learner.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<MulticlassTrainingResult> TrainMulticlassAsync(
        Dataset data, IReadOnlyList<string> classNames, Dataset? test = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(classNames);
        return TrainMulticlassCoreAsync(data, classNames, test, null, progress, cancellationToken);
    }

    private Task<MulticlassTrainingResult> TrainMulticlassCoreAsync(
        Dataset data, IReadOnlyList<string> names, Dataset? test, MulticlassSource? source, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Options.Learner is not null || Options.Trainer != TrainerKind.Gbdt)
        {
            throw new NotSupportedException("Multiclass training grows softmax gradient-boosted trees; a random forest or a custom learner cannot train a multiclass model yet.");
        }

        if (names.Count < 2)
        {
            throw new ArgumentException($"A multiclass model needs at least two classes; {names.Count} are named.", nameof(names));
        }

        CheckClassLabels(data, names.Count, "data");
        if (test is not null)
        {
            data.Schema.EnsureCompatible(test.Schema);
            if (test.RowCount == 0)
            {
                throw new ArgumentException("The test set has no rows.", "test");
            }

            CheckClassLabels(test, names.Count, "test");
        }

        return Measured(Task.Run(() => RunMulticlass(data, names, test, source, progress, ct), ct), TimeSpan.Zero);
    }

    private MulticlassTrainingResult RunMulticlass(
        Dataset data, IReadOnlyList<string> names, Dataset? testSet, MulticlassSource? source, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var k = names.Count;
        Report(progress, TrainingStage.Splitting, 0.02, $"splitting {data.RowCount:N0} rows");
        var (train, test, split, _, testRows) = SplitData(new RunInput(data, testSet), ct);
        var present = CountClasses(train, k);
        if (present.Count(n => n > 0) < 2)
        {
            throw new ArgumentException("The training rows hold fewer than two classes.", nameof(data));
        }

        var learner = new GradientBoostingLearner(Options.GradientBoosting);
        Log.TrainingStarted(_logger, learner.Name + "-multiclass", train.RowCount, test.RowCount, split.ToString(), train.Schema.Count);
        var warnings = new List<string>();
        MulticlassCalibrationResult? calibration = null;
        var validation = Options.MulticlassValidationFraction > 0 ? SplitValidation(train, split, k, warnings) : null;
        if (validation is { } v)
        {
            // The number of rounds that generalises to unseen rows is the largest lever on multiclass log loss.
            Report(progress, TrainingStage.Calibrating, 0.1, $"boosting on {v.Split.Train.RowCount:N0} rows, early stopping on {v.Split.Test.RowCount:N0} validation rows");
            var stopping = Options.GradientBoosting.Copy();
            stopping.EarlyStoppingRounds = Options.GradientBoosting.EarlyStoppingRounds > 0
                ? Options.GradientBoosting.EarlyStoppingRounds
                : Math.Max(10, Options.GradientBoosting.NumberOfTrees / 10);
            var probe = new GradientBoostingLearner(stopping).FitMulticlass(v.Split.Train, v.Split.Test, ct);
            var rounds = Math.Max(1, probe.TreeCount / k);
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Validation split: {rounds} of {Options.GradientBoosting.NumberOfTrees} rounds chosen by early stopping on {v.Split.Test.RowCount} validation rows; the model is refitted on all {train.RowCount} training rows."));
            var final = Options.GradientBoosting.Copy();
            final.NumberOfTrees = rounds;
            final.EarlyStoppingRounds = 0;
            learner = new GradientBoostingLearner(final);
            if (Options.MulticlassCalibration != MulticlassCalibrationMethod.None && v.Later)
            {
                // Time-ordered data: the later validation rows show the drift the holdout period will have, which
                // random out-of-fold scores from inside the training period cannot (MovieLens: none chosen out of
                // fold, vector scaling on the later rows; docs/multiclass.md).
                Report(progress, TrainingStage.Calibrating, 0.3, $"{Options.MulticlassCalibration} multiclass calibration on the {v.Split.Test.RowCount:N0} latest training rows");
                var validRaw = new double[v.Split.Test.RowCount * k];
                for (var i = 0; i < v.Split.Test.RowCount; i++)
                {
                    probe.PredictRaw(v.Split.Test.GetRow(i), validRaw.AsSpan(i * k, k));
                }

                calibration = MulticlassCalibrationFitter.Fit(validRaw, v.Split.Test.Labels.Span, k, Options.MulticlassCalibration, Options.Seed, ct);
            }
        }

        if (calibration is null && Options.MulticlassCalibration != MulticlassCalibrationMethod.None && validation is not { Later: true })
        {
            // Every class needs rows in every fold for each fold's model to have all K outputs; classes rarer than that are left uncalibrated.
            if (present.Min() >= Options.CalibrationFolds)
            {
                Report(progress, TrainingStage.Calibrating, 0.4, $"{Options.MulticlassCalibration} multiclass calibration on {Options.CalibrationFolds}-fold out-of-fold raw scores");
                calibration = MulticlassCalibrationFitter.FitOutOfFold(learner, train, Options.MulticlassCalibration, Options.CalibrationFolds, Options.Seed, ct);
            }
            else
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Calibration skipped: a class has {present.Min()} training rows, fewer than the {Options.CalibrationFolds} calibration folds."));
            }
        }

        Report(progress, TrainingStage.Training, 0.7, $"fitting {learner.Name} softmax on {train.RowCount:N0} rows");
        var trainStart = _time.GetTimestamp();
        var predictor = learner.FitMulticlass(train, null, ct);
        var trainTime = _time.GetElapsedTime(trainStart);
        if (predictor.ClassCount != k)
        {
            // The engine sizes the model by the largest label seen; the named classes above it never occur in training.
            throw new ArgumentException($"The training rows hold classes up to {predictor.ClassCount - 1}; {k} are named. Every class needs training rows.", nameof(data));
        }

        warnings.AddRange(predictor.TrainingWarnings);
        Report(progress, TrainingStage.Evaluating, 0.9, $"scoring {test.RowCount:N0} holdout rows");
        var calibrator = calibration?.Calibrator ?? MulticlassCalibrator.Identity(k);
        var rows = test.RowCount;
        var raw = new double[rows * k];
        var uncalibrated = new float[rows * k];
        var probabilities = new float[rows * k];
        var width = test.Schema.Count;
        var features = test.Features.Span;
        for (var i = 0; i < rows; i++)
        {
            var r = raw.AsSpan(i * k, k);
            predictor.PredictRaw(features.Slice(i * width, width), r);
            MulticlassCalibrator.Identity(k).Calibrate(r, uncalibrated.AsSpan(i * k, k));
            calibrator.Calibrate(r, probabilities.AsSpan(i * k, k));
        }

        var labels = test.Labels.Span;
        var metrics = Evaluate(labels, probabilities, k);
        var info = new ModelInfo(predictor.Schema, learner.Name) { Metrics = metrics, CreatedAt = _time.GetUtcNow() };
        var model = new MulticlassQualityModel(predictor, names, calibrator, info, source?.Columns);
        var total = _time.GetElapsedTime(started);
        foreach (var w in warnings)
        {
            Log.TrainingWarning(_logger, w);
        }

        Log.TrainingCompleted(_logger, learner.Name + "-multiclass", total.TotalMilliseconds, double.NaN, metrics[MetricNames.LogLoss], double.NaN);
        Report(progress, TrainingStage.Completed, 1.0, string.Create(CultureInfo.InvariantCulture, $"done: holdout log loss {metrics[MetricNames.LogLoss]:F4}, macro-F1 {metrics[MetricNames.MacroF1]:F4}"));
        return new MulticlassTrainingResult(model, test, probabilities)
        {
            Metrics = metrics,
            UncalibratedMetrics = Evaluate(labels, uncalibrated, k),
            PerClass = MulticlassMetrics.PerClass(labels, probabilities, k),
            Confusion = MulticlassMetrics.ConfusionCounts(labels, probabilities, k),
            Calibration = calibration,
            Split = split,
            TrainRows = train.RowCount,
            TrainTime = trainTime,
            TotalTime = total,
            Warnings = warnings,
            HoldoutTable = source?.Table,
            HoldoutTableRows = source is { Split: true } ? testRows : null,
        };
    }

    /// <summary>The metrics a multiclass model is reported and gated on.</summary>
    internal static Dictionary<string, double> Evaluate(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int k) => new(StringComparer.Ordinal)
    {
        [MetricNames.LogLoss] = MulticlassMetrics.LogLoss(labels, probabilities, k),
        [MetricNames.Accuracy] = MulticlassMetrics.Accuracy(labels, probabilities, k),
        [MetricNames.MacroF1] = MulticlassMetrics.MacroF1(labels, probabilities, k),
    };

    private static void CheckClassLabels(Dataset data, int k, string name)
    {
        var labels = data.Labels.Span;
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (!(y >= 0 && y < k && y == MathF.Floor(y)))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i} has label {y}; a model of {k} classes needs class indexes 0 to {k - 1}."), name);
            }
        }
    }

    /// <summary>
    /// Holds out <see cref="QualityTrainerOptions.MulticlassValidationFraction"/> of the training rows: the latest for
    /// temporal and file-order splits, a stratified random share otherwise; null (with a warning) when a class would be
    /// missing from either part.
    /// </summary>
    private ValidationSplit? SplitValidation(Dataset train, SplitStrategy split, int k, List<string> warnings)
    {
        var fraction = Options.MulticlassValidationFraction;
        var later = split is SplitStrategy.Temporal or SplitStrategy.FileOrder || (split == SplitStrategy.Auto && train.Timestamps is { Length: > 0 });
        if (train.RowCount >= 2 * k && !(later && train.Timestamps is { Length: > 0 } ts && ts.Span.IndexOfAnyExcept(ts.Span[0]) < 0))
        {
            var s = later ? DataSplitter.TemporalHoldout(train, fraction) : DataSplitter.StratifiedHoldout(train, fraction, Options.Seed);
            if (CountClasses(s.Train, k).Min() > 0 && CountClasses(s.Test, k).Min() > 0)
            {
                return new ValidationSplit(s, later);
            }
        }

        warnings.Add(string.Create(CultureInfo.InvariantCulture, $"No validation split: a class would be missing from {fraction:P0} of the {train.RowCount} training rows or from the rest; all {Options.GradientBoosting.NumberOfTrees} rounds are fitted."));
        return null;
    }

    /// <summary>A validation split of the training rows; <paramref name="Later"/> when its rows are the latest ones.</summary>
    private sealed record ValidationSplit(DataSplit Split, bool Later);

    /// <summary>Where CSV-trained rows came from: the column mapping, and the table the holdout rows are in (split from it, or the test file).</summary>
    private sealed record MulticlassSource(IReadOnlyList<RowColumn> Columns, CsvTable Table, bool Split);

    private static int[] CountClasses(Dataset data, int k)
    {
        var counts = new int[k];
        foreach (var y in data.Labels.Span)
        {
            counts[(int)y]++;
        }

        return counts;
    }
}
