using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Scoring;
using PatternQuality.Telemetry;
using PatternQuality.Training.Internal;
using PatternQuality.Trees;

namespace PatternQuality.Training;

/// <summary>Training a ranking model (<see cref="QualityTrainerOptions.Ranking"/>): LambdaRank on query groups.</summary>
public sealed partial class QualityTrainer
{
    private static void AddRankingMetrics(Dictionary<string, double> metrics, ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries)
    {
        foreach (var (key, value) in RankingMetrics.Compute(labels, scores, queryBoundaries))
        {
            metrics[key] = value;
        }
    }

    private static Dataset WithQueries(Dataset data, string what, string paramName)
    {
        if (data.QueryBoundaries is not null)
        {
            return data;
        }

        if (data.Groups is not null)
        {
            return data.GroupByQuery();
        }

        throw new ArgumentException(
            $"Ranking needs query groups, but the {what} has none: load a .query file or qid: tokens (SvmLightLoader), or name a group column (CsvLoadOptions.GroupColumn).",
            paramName);
    }

    /// <summary>Relevance above 0 counts as accepted: the labels a calibrator and the binary metrics of a ranking model use.</summary>
    private static float[] Accepted(ReadOnlySpan<float> relevance)
    {
        var result = new float[relevance.Length];
        for (var i = 0; i < relevance.Length; i++)
        {
            result[i] = relevance[i] > 0 ? 1f : 0f;
        }

        return result;
    }

    private TrainingResult RunRanking(RunInput input, LambdaRankOptions ranking, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        if (Options.Learner is not null || Options.Trainer != TrainerKind.Gbdt || input.Start is not null)
        {
            throw new ArgumentException(
                "Ranking (QualityTrainerOptions.Ranking) trains the built-in gradient boosting: set Trainer to Gbdt, leave Learner unset, and do not pre-train.", "data");
        }

        Report(progress, TrainingStage.Splitting, 0.02, $"splitting {input.Data.RowCount:N0} rows by query");
        var data = WithQueries(input.Data, input.DataName, "data");
        Dataset train, test;
        if (input.Test is { } given)
        {
            (train, test) = (data, WithQueries(given, "test set", "test"));
        }
        else
        {
            if (data.QueryCount < 2)
            {
                throw new ArgumentException($"The {input.DataName} has {data.QueryCount} query; holding out whole queries needs at least 2.", "data");
            }

            // Whole queries go to one side: a query split across both would leak its other documents' labels.
            (train, test) = data.SplitQueries(Options.TestFraction, Options.Seed);
        }

        var learner = new GradientBoostingLearner(Options.GradientBoosting);
        const string name = "lambdarank";
        Log.TrainingStarted(_logger, name, train.RowCount, test.RowCount, "queries", train.Schema.Count);
        var warnings = new List<string>();
        var trainLabels = Accepted(train.Labels.Span);

        CalibrationFitResult? calibration = null;
        var calibrateTime = TimeSpan.Zero;
        if (Options.Calibration != CalibrationMethod.None)
        {
            Report(progress, TrainingStage.Calibrating, 0.1, $"{Options.Calibration} calibration of ranking scores on {Options.CalibrationFolds}-fold out-of-fold predictions");
            var t0 = _time.GetTimestamp();
            var oof = OutOfFoldRankingProbabilities(learner, train, ranking, ct);
            calibration = CalibrationFitter.Fit(oof, trainLabels, train.WeightSpan, Options.Calibration, Options.CalibrationCriterion, Options.Seed, ct);
            calibrateTime = _time.GetElapsedTime(t0);
            Log.CalibrationChosen(_logger, calibration.Method.ToString(), calibration.Requested.ToString(), train.RowCount);
        }

        Report(progress, TrainingStage.Training, 0.7, $"fitting {name} on {train.QueryCount:N0} queries, {train.RowCount:N0} rows");
        var trainStart = _time.GetTimestamp();
        var predictor = learner.FitRanking(train, null, ranking, ct);
        var trainTime = _time.GetElapsedTime(trainStart);
        warnings.AddRange(predictor.TrainingWarnings);

        Report(progress, TrainingStage.Evaluating, 0.9, $"scoring {test.RowCount:N0} holdout rows");
        var evalStart = _time.GetTimestamp();
        var calibrator = calibration?.Calibrator ?? IdentityCalibrator.Instance;
        var raw = new float[test.RowCount];
        predictor.PredictProbability(test.Features.Span, raw);
        var scores = new float[raw.Length];
        calibrator.Calibrate(raw, scores);
        var labels = Accepted(test.Labels.Span);
        var testWeights = test.WeightSpan;
        var uncalibrated = new Dictionary<string, double>(BinaryEvaluation.Compute(labels, raw, 0.5, testWeights).ToDictionary(), StringComparer.Ordinal);
        var metrics = new Dictionary<string, double>(BinaryEvaluation.Compute(labels, scores, 0.5, testWeights).ToDictionary(), StringComparer.Ordinal);

        // Ranking metrics order by the model's own score: a calibrator may tie scores (isotonic steps) the model kept apart.
        AddRankingMetrics(metrics, test.Labels.Span, raw, test.QueryBoundaries!);
        AddRankingMetrics(uncalibrated, test.Labels.Span, raw, test.QueryBoundaries!);
        ct.ThrowIfCancellationRequested();
        var gain = GainShares(predictor);
        var evalTime = _time.GetElapsedTime(evalStart);
        var totalTime = _time.GetElapsedTime(started) + input.ExtractTime;
        foreach (var w in warnings)
        {
            Log.TrainingWarning(_logger, w);
        }

        var (first, last) = DatasetOps.TimeRange(input.Data);
        var summary = new TrainingDataSummary(
            train.RowCount, test.RowCount, Mean(trainLabels), Mean(labels), train.Schema.Count, first, last, null, SplitStrategy.Random, 0);
        var timings = new TrainingTimings(input.ExtractTime, TimeSpan.Zero, TimeSpan.Zero, calibrateTime, trainTime, evalTime, totalTime);
        var report = new TrainingReport(name, null, metrics, uncalibrated, calibration, null, gain, null, timings, summary, warnings);
        var info = new ModelInfo(predictor.Schema, name) { Metrics = metrics, CreatedAt = _time.GetUtcNow() };
        var model = new QualityModel(predictor, calibrator, info, input.History, input.Columns);
        Log.TrainingCompleted(_logger, name, totalTime.TotalMilliseconds, metrics[MetricNames.Auc], metrics[MetricNames.LogLoss], metrics[MetricNames.Ece]);
        Report(progress, TrainingStage.Completed, 1.0, string.Create(CultureInfo.InvariantCulture, $"done: holdout NDCG@3 {metrics[MetricNames.Ndcg(3)]:F4}"));

        // The holdout the quality gate scores the champion on: these rows with accepted (relevance > 0) as the label.
        // Rows were regrouped by query, so the CSV row indices of a plain split do not apply (no CsvSource).
        var holdout = new Dataset(test.Schema, test.Features.ToArray(), labels, test.Weights?.ToArray(), test.Timestamps?.ToArray(), null, [.. test.QueryBoundaries!]);
        return new TrainingResult(model, report, labels, scores, input.Watermark, holdout);
    }

    private float[] OutOfFoldRankingProbabilities(GradientBoostingLearner learner, Dataset train, LambdaRankOptions ranking, CancellationToken ct)
    {
        var queries = train.QueryCount;
        var folds = Math.Min(Options.CalibrationFolds, queries);
        if (folds < 2)
        {
            throw new ArgumentException($"Calibrating a ranking model needs at least 2 training queries (has {queries}); set Calibration to None.", "data");
        }

        // Queries are dealt to folds in a seeded random order, so each fold's model never saw the documents it scores.
        var order = Enumerable.Range(0, queries).ToArray();
        new Random(Options.Seed).Shuffle(order);
        var bounds = train.QueryBoundaries!;
        var oof = new float[train.RowCount];
        for (var f = 0; f < folds; f++)
        {
            ct.ThrowIfCancellationRequested();
            var held = order.Where((_, i) => i % folds == f).Order().ToArray();
            var fit = order.Where((_, i) => i % folds != f).Order().ToArray();
            var model = learner.FitRanking(train.SelectQueries(fit), null, ranking, ct);
            var part = train.SelectQueries(held);
            var probabilities = new float[part.RowCount];
            model.PredictProbability(part.Features.Span, probabilities);
            var p = 0;
            foreach (var q in held)
            {
                for (var r = bounds[q]; r < bounds[q + 1]; r++)
                {
                    oof[r] = probabilities[p++];
                }
            }
        }

        return oof;
    }

    private static double Mean(float[] values) => values.Length == 0 ? double.NaN : values.Average(v => (double)v);
}
