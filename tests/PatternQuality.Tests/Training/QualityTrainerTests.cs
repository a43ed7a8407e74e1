using Microsoft.Extensions.Options;
using PatternQuality.Calibration;
using PatternQuality.Evaluation;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Training;
using PatternQuality.Tests.Telemetry;

namespace PatternQuality.Tests.Training;

public class QualityTrainerTests
{
    private static QualityTrainer CreateSut(QualityTrainerOptions? options = null, FakeLogger? logger = null) =>
        new(options ?? TrainingFixtures.FastOptions(), logger is null ? null : new TypedLogger<QualityTrainer>(logger));

    [Fact]
    public async Task TrainAsync_CouponCsv_ReturnsCalibratedModelThatScoresRawRowsAndFullReport()
    {
        var coupon = TrainingFixtures.Coupon;
        var logger = new FakeLogger();

        var result = await CreateSut(logger: logger).TrainAsync(coupon);

        var report = result.Report;
        Assert.Equal("gbdt", report.Trainer);
        foreach (var key in new[] { "auc", "pr_auc", "accuracy", "precision", "recall", "f1", "logloss", "brier", "ece" })
        {
            Assert.True(report.Metrics.ContainsKey(key), key);
            Assert.True(report.UncalibratedMetrics.ContainsKey(key), key);
        }

        // Real-data accuracy pin: 30 trees on the 80% split reach about 0.79 AUC (100 trees: 0.84).
        Assert.InRange(report.Metrics[MetricNames.Auc], 0.77, 0.90);
        Assert.True(report.Metrics[MetricNames.Ece] < 0.05, $"ECE {report.Metrics[MetricNames.Ece]}");
        Assert.True(report.Metrics[MetricNames.Auc] >= report.UncalibratedMetrics[MetricNames.Auc] - CalibrationFitter.MaximumAucLoss);
        Assert.NotNull(report.Calibration);
        Assert.Equal(3, report.Calibration!.Candidates.Count);

        // No timestamps in the coupon file: Auto resolves to a stratified random split.
        Assert.Equal(SplitStrategy.Random, report.Data.Split);
        Assert.Equal(12684, report.Data.TotalRows);
        Assert.Equal(2537, report.Data.TestRows);
        Assert.Equal(25, report.Data.FeatureCount);
        Assert.Equal(0.5684, report.Data.TrainPositiveRate, 2);
        Assert.Equal(0.5684, report.Data.TestPositiveRate, 2);
        Assert.Null(report.Data.FirstTimestamp);

        Assert.Equal(25, report.GainImportance.Count);
        Assert.Equal(1.0, report.GainImportance.Values.Sum(), 6);
        Assert.Equal("coupon", report.GainImportance.MaxBy(p => p.Value).Key);
        Assert.True(report.Timings.Train > TimeSpan.Zero);
        Assert.True(report.Timings.Total >= report.Timings.Train + report.Timings.Calibrate);
        Assert.Null(report.CrossValidation);
        Assert.Null(report.PermutationImportance);

        Assert.Equal(2537, result.TestLabels.Length);
        Assert.Equal(2537, result.TestScores.Length);
        Assert.Null(result.Watermark);
        Assert.Same(coupon.Columns, result.Model.Columns);
        Assert.Equal(report.Metrics[MetricNames.Auc], result.Model.Info.Metrics[MetricNames.Auc]);
        Assert.Contains(logger.Entries, e => e.EventId.Name == "TrainingCompleted");

        // The saved model scores raw CSV rows as the trained one scores their features.
        var loaded = QualityModel.Load(result.Model.ToBytes());
        var extractor = loaded.CreateRowExtractor();
        var row = coupon.Table.GetRow(0);

        Assert.Equal(result.Model.Score(coupon.Dataset.GetRow(0)), loaded.Score(extractor.Extract(row)), 5);
    }

    [Fact]
    public async Task TrainAsync_FeedbackSource_ExtractsCausallySplitsTemporallyAndSetsWatermark()
    {
        var source = MovieLensFeedback.CreateSource();
        var extractor = MovieLensFeedback.CreateExtractor();

        var result = await CreateSut().TrainAsync(source, extractor);

        var report = result.Report;
        Assert.Equal(SplitStrategy.Temporal, report.Data.Split);
        Assert.Equal(4000, report.Data.TotalRows);
        Assert.InRange(report.Data.TestRows, 780, 820); // ties at the cutoff second may move a few rows
        Assert.NotNull(report.Data.TestCutoff);
        Assert.True(report.Data.FirstTimestamp < report.Data.TestCutoff && report.Data.TestCutoff <= report.Data.LastTimestamp);
        Assert.Equal(new FeedbackWatermark(3999), result.Watermark);
        Assert.True(report.Timings.Extract > TimeSpan.Zero);
        Assert.NotNull(result.Model.History);
        // Causal user and movie approval rates carry real signal on later ratings.
        Assert.True(report.Metrics[MetricNames.Auc] > 0.65, $"AUC {report.Metrics[MetricNames.Auc]}");
    }

    [Fact]
    public async Task TrainAsync_TemporalSplit_PutsTheLatestRowsInTest()
    {
        var labels = Enumerable.Range(0, 200).Select(i => (float)(i % 3 == 0 ? 1 : 0)).ToArray();
        var data = TrainingFixtures.Tiny(labels);
        var options = TrainingFixtures.FastOptions();
        options.Split = SplitStrategy.Temporal;
        options.Calibration = CalibrationMethod.None;

        var result = await CreateSut(options).TrainAsync(data);

        Assert.Equal(SplitStrategy.Temporal, result.Report.Data.Split);
        Assert.Equal(160, result.Report.Data.TrainRows);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000L + (160 * 60_000L)), result.Report.Data.TestCutoff);
        Assert.Equal(labels[160..], result.TestLabels.ToArray());
    }

    [Fact]
    public async Task TrainAsync_FileOrderSplit_TestsOnTheLastRows()
    {
        var labels = Enumerable.Range(0, 100).Select(i => (float)(i % 2)).ToArray();
        var options = TrainingFixtures.FastOptions();
        options.Split = SplitStrategy.FileOrder;
        options.TestFraction = 0.25;
        options.Calibration = CalibrationMethod.None;

        var result = await CreateSut(options).TrainAsync(TrainingFixtures.Tiny(labels));

        Assert.Equal(75, result.Report.Data.TrainRows);
        Assert.Equal(labels[75..], result.TestLabels.ToArray());
        Assert.Null(result.Report.Data.TestCutoff);
    }

    [Fact]
    public async Task TrainAsync_ExplicitTestSet_TrainsOnAllDataAndTestsOnIt()
    {
        var sample = TrainingFixtures.CouponSample;
        var test = TrainingFixtures.Coupon.Dataset.Select(Enumerable.Range(0, 500).Select(i => (i * 4) + 1).ToArray());

        var result = await CreateSut().TrainAsync(sample, test);

        Assert.Equal(sample.RowCount, result.Report.Data.TrainRows);
        Assert.Equal(500, result.Report.Data.TestRows);
        Assert.Equal(test.Labels.ToArray(), result.TestLabels.ToArray());
    }

    [Theory]
    [InlineData(0f, "rejected (0)")]
    [InlineData(1f, "approved (1)")]
    public async Task TrainAsync_OneClassLabels_ThrowsNamingTheMissingClass(float label, string only)
    {
        var data = TrainingFixtures.Tiny(Enumerable.Repeat(label, 50).ToArray());

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CreateSut().TrainAsync(data));

        Assert.Equal("data", ex.ParamName);
        Assert.Contains($"Every one of the 50 rows of the training data is {only}", ex.Message);
        Assert.Contains("both approved and rejected", ex.Message);
    }

    [Fact]
    public async Task TrainAsync_NonBinaryLabel_ThrowsNamingTheRow()
    {
        var data = TrainingFixtures.Tiny([0, 1, 2, 0, 1]);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CreateSut().TrainAsync(data));

        Assert.Contains("Label of row 2", ex.Message);
    }

    [Fact]
    public async Task TrainAsync_AllPositivesInTheTestPeriod_ThrowsForTheTrainingSplit()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i < 80 ? 0f : 1f).ToArray();
        var options = TrainingFixtures.FastOptions();
        options.Split = SplitStrategy.Temporal;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CreateSut(options).TrainAsync(TrainingFixtures.Tiny(labels)));

        Assert.Contains("training split", ex.Message);
    }

    [Fact]
    public async Task TrainAsync_CrossValidationAndPermutationImportance_AreReportedWithProgressPerStage()
    {
        var options = TrainingFixtures.FastOptions();
        options.CrossValidationFolds = 3;
        options.PermutationImportance = true;
        var progress = new RecordingProgress<TrainingProgress>();

        var result = await CreateSut(options).TrainAsync(TrainingFixtures.CouponSample, progress: progress);

        var stages = progress.Reports.Select(p => p.Stage).Distinct().ToArray();
        Assert.Equal(
            [TrainingStage.Splitting, TrainingStage.CrossValidating, TrainingStage.Calibrating, TrainingStage.Training, TrainingStage.Evaluating, TrainingStage.Completed],
            stages);
        var fractions = progress.Reports.Select(p => p.Fraction).ToArray();
        Assert.Equal(fractions.Order(), fractions);
        Assert.Equal(1.0, fractions[^1]);
        Assert.Contains(progress.Reports, p => p.Message == "fold 3 of 3 done");

        var cv = result.Report.CrossValidation;
        Assert.NotNull(cv);
        Assert.Equal(3, cv.Folds.Count);
        Assert.InRange(cv.Mean[MetricNames.Auc], 0.72, 0.90);
        Assert.True(result.Report.Timings.CrossValidate > TimeSpan.Zero);
        var permutation = result.Report.PermutationImportance;
        Assert.NotNull(permutation);
        Assert.Equal(25, permutation.ByName.Count);
        Assert.Equal("coupon", permutation.Ranked[0].Name);
    }

    [Fact]
    public async Task TrainAsync_Forest_TrainsARandomForest()
    {
        var options = TrainingFixtures.FastOptions();
        options.Trainer = TrainerKind.Forest;

        var result = await CreateSut(options).TrainAsync(TrainingFixtures.CouponSample);

        Assert.Equal("forest", result.Report.Trainer);
        Assert.True(result.Model.Predictor is PatternQuality.Trees.TreeEnsembleModel { IsRandomForest: true });
        Assert.InRange(result.Report.Metrics[MetricNames.Auc], 0.70, 0.90);
    }

    [Fact]
    public async Task TrainAsync_AlreadyCancelled_ThrowsBeforeWork()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var progress = new RecordingProgress<TrainingProgress>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateSut().TrainAsync(TrainingFixtures.CouponSample, progress: progress, cancellationToken: cts.Token));

        Assert.Empty(progress.Reports);
    }

    [Fact]
    public async Task TrainAsync_CancelledDuringCalibration_StopsWithoutCompleting()
    {
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress<TrainingProgress>(p =>
        {
            if (p.Stage == TrainingStage.Calibrating)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => CreateSut().TrainAsync(TrainingFixtures.CouponSample, progress: progress, cancellationToken: cts.Token));

        Assert.DoesNotContain(progress.Reports, p => p.Stage is TrainingStage.Training or TrainingStage.Completed);
    }

    [Fact]
    public async Task TrainAsync_FeedbackSourceCancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => CreateSut().TrainAsync(MovieLensFeedback.CreateSource(), MovieLensFeedback.CreateExtractor(), cancellationToken: cts.Token));
    }

    [Fact]
    public async Task TrainAsync_EmptyFeedbackSource_ThrowsInvalidOperation()
    {
        var source = new InMemoryFeedbackSource<MovieSuggestion>();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateSut().TrainAsync(source, MovieLensFeedback.CreateExtractor()));

        Assert.Contains("no feedback", ex.Message);
    }

    [Fact]
    public async Task PretrainAndFineTuneAsync_CouponAgeShift_BeatsTrainingOnTheSmallSetAlone()
    {
        // Pre-train on respondents aged 26 and over, fine-tune on 200 younger respondents, test on 800 others.
        var coupon = TrainingFixtures.Coupon;
        var age = coupon.Table.IndexOf("age");
        var rows = Enumerable.Range(0, coupon.Dataset.RowCount).ToArray();
        var young = rows.Where(r => coupon.Table.GetValues(r)[age] is "below21" or "21").ToArray();
        var corpus = coupon.Dataset.Select(rows.Where(r => coupon.Table.GetValues(r)[age] is not ("below21" or "21")).ToArray());
        var feedback = coupon.Dataset.Select(young.Where((_, i) => i % 16 == 0).ToArray());
        var test = coupon.Dataset.Select(young.Where((_, i) => i % 4 == 1).ToArray());
        var sut = CreateSut();

        var tuned = await sut.PretrainAndFineTuneAsync(corpus, feedback, test);
        var alone = await sut.TrainAsync(feedback, test);

        Assert.Equal("gbdt+pretrained", tuned.Report.Trainer);
        Assert.Equal(corpus.RowCount, tuned.Report.Data.CorpusRows);
        Assert.True(tuned.Report.Timings.Pretrain > TimeSpan.Zero);
        var tree = Assert.IsType<PatternQuality.Trees.TreeEnsembleModel>(tuned.Model.Predictor);
        Assert.InRange(tuned.Report.FineTuneTrees!.Value, 1, 50);
        Assert.Equal(30 + tuned.Report.FineTuneTrees.Value, tree.TreeCount);
        Assert.Null(alone.Report.FineTuneTrees);
        Assert.True(
            tuned.Report.Metrics[MetricNames.Auc] > alone.Report.Metrics[MetricNames.Auc] + 0.03,
            $"fine-tuned {tuned.Report.Metrics[MetricNames.Auc]:F4} vs alone {alone.Report.Metrics[MetricNames.Auc]:F4}");
    }

    [Fact]
    public async Task FineTuneAsync_RandomForestStart_Throws()
    {
        var options = TrainingFixtures.FastOptions();
        options.Trainer = TrainerKind.Forest;
        var forest = (PatternQuality.Trees.TreeEnsembleModel)(await CreateSut(options).TrainAsync(TrainingFixtures.CouponSample)).Model.Predictor;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CreateSut().FineTuneAsync(forest, TrainingFixtures.CouponSample));

        Assert.Equal("pretrained", ex.ParamName);
    }

    [Fact]
    public async Task FineTuneAsync_CorpusWeight_ReplaysCorpusRows()
    {
        var sample = TrainingFixtures.CouponSample;
        var corpus = TrainingFixtures.Coupon.Dataset.Select(Enumerable.Range(0, 2000).Select(i => (i * 4) + 2).ToArray());
        var options = TrainingFixtures.FastOptions();
        options.Calibration = CalibrationMethod.None;
        options.Pretraining.SelectFineTuneTrees = false;
        var pretrained = await CreateSut(options).PretrainAsync(corpus);
        var feedback = sample.Select(Enumerable.Range(0, 300).ToArray());
        var test = sample.Select(Enumerable.Range(300, 1000).ToArray());

        var without = await CreateSut(options).FineTuneAsync(pretrained, feedback, test, corpus);
        options.Pretraining.CorpusWeight = 0.5;
        var with = await CreateSut(options).FineTuneAsync(pretrained, feedback, test, corpus);

        Assert.NotEqual(without.TestScores.ToArray(), with.TestScores.ToArray());
        Assert.Equal(corpus.RowCount, with.Report.Data.CorpusRows);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        var options = new QualityTrainerOptions { TestFraction = 1.5 };

        var ex = Assert.Throws<OptionsValidationException>(() => new QualityTrainer(options));

        Assert.Contains(ex.Failures, f => f.Contains("TestFraction", StringComparison.Ordinal));
    }
}
