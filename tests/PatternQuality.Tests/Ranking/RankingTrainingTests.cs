using System.Text.Json;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;
using PatternQuality.Trees;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Ranking;

/// <summary>Ranking through the training pipeline, the scorer and <c>pq train|evaluate</c>, on LightGBM's lambdarank example.</summary>
public class RankingTrainingTests
{
    private static string RankTest => SharedData.Path("lightgbm-examples", "lambdarank", "rank.test");

    private static string RankTestQuery => SharedData.Path("lightgbm-examples", "lambdarank", "rank.test.query");

    private static readonly Lazy<(Dataset Train, Dataset Test)> _example = new(() =>
    {
        var train = SvmLightLoader.Load(SharedData.RankTrain, new SvmLightLoadOptions { QueryFile = SharedData.RankTrainQuery });
        var test = SvmLightLoader.Load(RankTest, new SvmLightLoadOptions { QueryFile = RankTestQuery, FeatureCount = train.Schema.Count });
        return (train, test);
    });

    private static QualityTrainerOptions Options() => new()
    {
        Ranking = new LambdaRankOptions(),
        Calibration = CalibrationMethod.Auto,
        CalibrationFolds = 3,
        Seed = 1,
        GradientBoosting = new GradientBoostingOptions { NumberOfTrees = 40, MinimumExampleCountPerLeaf = 50, MinimumChildWeight = 5, NumberOfThreads = 2, Seed = 1 },
    };

    [Fact]
    public async Task Trainer_WithRanking_ReportsNdcgMapMrr_AndCalibratesAcceptance()
    {
        var (train, test) = _example.Value;
        var result = await new QualityTrainer(Options()).TrainAsync(train, test);
        var model = result.Model;

        Assert.True(model.IsRanking);
        Assert.Equal("lambdarank", model.Info.Trainer);

        // The report's NDCG is the library's NDCG of the model's own ranking scores on the held-out queries.
        var ranking = new float[test.RowCount];
        model.PredictRankingScores(test.Features.Span, ranking);
        var metrics = result.Report.Metrics;
        Assert.Equal(RankingMetrics.Ndcg(test.Labels.Span, ranking, test.QueryBoundaries!, 3, NdcgGain.Linear), metrics[MetricNames.Ndcg(3)], 10);
        Assert.Equal(RankingMetrics.Ndcg(test.Labels.Span, ranking, test.QueryBoundaries!, 5, NdcgGain.Exponential), metrics[MetricNames.NdcgExponential(5)], 10);
        Assert.True(metrics[MetricNames.Ndcg(3)] > 0.64, $"NDCG@3 {metrics[MetricNames.Ndcg(3)]:F4}");
        foreach (var key in new[] { MetricNames.Ndcg(1), MetricNames.NdcgExponential(1), MetricNames.MeanAveragePrecision, MetricNames.MeanReciprocalRank })
        {
            Assert.InRange(metrics[key], 0.3, 1.0);
        }

        // Asked for probabilities, the ranking model answers with a calibrator fitted on out-of-fold ranking scores:
        // on unseen queries its acceptance probabilities (relevance > 0) are far better calibrated than the squashed score.
        Assert.NotNull(result.Report.Calibration);
        Assert.True(metrics[MetricNames.Ece] < 0.1, $"ECE {metrics[MetricNames.Ece]:F4}");
        Assert.True(metrics[MetricNames.Ece] < result.Report.UncalibratedMetrics[MetricNames.Ece], $"ECE {metrics[MetricNames.Ece]:F4} vs uncalibrated {result.Report.UncalibratedMetrics[MetricNames.Ece]:F4}");
        var accepted = test.Labels.ToArray().Count(l => l > 0) / (double)test.RowCount;
        var meanProbability = result.TestScores.ToArray().Average(s => (double)s);
        Assert.True(Math.Abs(meanProbability - accepted) < 0.08, $"mean probability {meanProbability:F3} vs acceptance rate {accepted:F3}");

        // The stored form keeps it a ranking model.
        var reloaded = QualityModel.Load(model.ToBytes());
        Assert.True(reloaded.IsRanking);
        Assert.Equal(model.Score(test.GetRow(7)), reloaded.Score(test.GetRow(7)));
    }

    [Fact]
    public async Task Trainer_WithRanking_RejectsDataWithoutQueries_AndOtherLearners()
    {
        var flat = new Dataset(new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]), [1, 2, 3, 4], [0, 1, 2, 0]);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => new QualityTrainer(Options()).TrainAsync(flat));
        Assert.Contains("query groups", e.Message);

        var forest = Options();
        forest.Trainer = TrainerKind.Forest;
        var (train, _) = _example.Value;
        e = await Assert.ThrowsAsync<ArgumentException>(() => new QualityTrainer(forest).TrainAsync(train));
        Assert.Contains("Gbdt", e.Message);
    }

    [Fact]
    public void Scorer_WithRankingModel_OrdersByTheModelsScores_AndReturnsThem()
    {
        var data = LambdaRankTests.Synthetic(queries: 200, seed: 5);
        var ranker = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 30, Seed = 1, NumberOfThreads = 2 }).FitRanking(data);
        var extractor = new FeatureExtractorBuilder<float[]>();
        for (var i = 0; i < 5; i++)
        {
            var f = i;
            extractor.Numeric("f" + f, p => p[f]);
        }

        var scorer = new PatternScorer<float[]>(extractor.Build(), new QualityModelHolder(new QualityModel(ranker)));
        var random = new Random(9);
        var candidates = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();

        var ranked = scorer.Rank(candidates, top: 20);

        Assert.Equal(20, ranked.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var own = (float)ranker.PredictRaw(ranked[i].Pattern);
            Assert.Equal(own, ranked[i].RankingScore);
            Assert.InRange(ranked[i].Score, 0f, 1f);
            if (i > 0)
            {
                Assert.True(ranked[i - 1].RankingScore >= ranked[i].RankingScore);
            }
        }

        // The hidden utility the labels came from (3 f0 + 2 f1 - f2) puts the same candidate first.
        var best = candidates.MaxBy(c => (3 * c[0]) + (2 * c[1]) - c[2]);
        Assert.Contains(best, ranked.Take(3).Select(r => r.Pattern));
    }

    [Fact]
    public void PqTrain_Lambdarank_WithQueryFiles_ThenEvaluate_PrintsNdcg()
    {
        using var store = new Cli.TempStore();
        var (code, stdout, stderr) = Run(
            "train", "--store", store.Dir, "--data", SharedData.RankTrain, "--query", SharedData.RankTrainQuery, "--test", RankTest,
            "--objective", "lambdarank", "--trees", "30", "--min-leaf", "50", "--calibration", "platt", "--json");
        Assert.True(code == 0, stderr);
        using var trained = JsonDocument.Parse(stdout);
        Assert.Equal("lambdarank", trained.RootElement.GetProperty("objective").GetString());
        var trainNdcg3 = trained.RootElement.GetProperty("metrics").GetProperty("ndcg@3").GetDouble();

        (code, stdout, stderr) = Run("evaluate", "--store", store.Dir, "--data", RankTest, "--query", RankTestQuery, "--json");
        Assert.True(code == 0, stderr);
        using var evaluated = JsonDocument.Parse(stdout);
        var metrics = evaluated.RootElement.GetProperty("metrics");
        foreach (var key in new[] { "ndcg@1", "ndcg@3", "ndcg@5", "ndcg_exp@1", "ndcg_exp@3", "ndcg_exp@5", "map", "mrr", "auc", "ece" })
        {
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
        }

        // The same model on the same held-out queries: train's report and evaluate agree.
        Assert.Equal(trainNdcg3, metrics.GetProperty("ndcg@3").GetDouble(), 6);
        Assert.InRange(trainNdcg3, 0.6, 1.0);

        (code, stdout, _) = Run("evaluate", "--store", store.Dir, "--data", RankTest, "--query", RankTestQuery);
        Assert.Equal(0, code);
        Assert.Contains("ndcg@3", stdout);
    }

    [Fact]
    public void PqTrain_Lambdarank_OnCsvWithoutGroup_ExplainsTheFlag()
    {
        using var store = new Cli.TempStore();
        var (code, _, stderr) = Run(["train", "--store", store.Dir, .. Cli.TempStore.CouponFlags, "--objective", "lambdarank"]);
        Assert.Equal(1, code);
        Assert.Contains("--group", stderr);

        (code, _, stderr) = Run(["train", "--store", store.Dir, .. Cli.TempStore.CouponFlags, "--objective", "pairwise"]);
        Assert.Equal(1, code);
        Assert.Contains("multiclass or lambdarank", stderr);
    }
}
