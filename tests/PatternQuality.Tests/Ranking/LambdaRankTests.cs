using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Trees;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Ranking;

public class LambdaRankTests
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> _example = new(() =>
    {
        var train = SvmLightLoader.Load(SharedData.RankTrain, new SvmLightLoadOptions { QueryFile = SharedData.RankTrainQuery });
        var test = SvmLightLoader.Load(
            SharedData.Path("lightgbm-examples", "lambdarank", "rank.test"),
            new SvmLightLoadOptions { QueryFile = SharedData.Path("lightgbm-examples", "lambdarank", "rank.test.query"), FeatureCount = train.Schema.Count });
        return (train, test);
    });

    private static GradientBoostingOptions Options(int trees = 40, int? threads = 2) => new()
    {
        NumberOfTrees = trees,
        MinimumExampleCountPerLeaf = 50,
        MinimumChildWeight = 5,
        NumberOfThreads = threads,
        Seed = 1,
    };

    [Fact]
    public void FitRanking_LambdaRankExample_RanksHeldOutQueriesWellAboveFeatureOrder()
    {
        var (train, test) = _example.Value;
        var model = new GradientBoostingLearner(Options()).FitRanking(train);
        var scores = Raw(model, test);
        var ndcg3 = RankingMetrics.Ndcg(test.Labels.Span, scores, test.QueryBoundaries!, 3, NdcgGain.Linear);

        // The benchmark (100 trees, docs/ranking.md) reaches ~0.69-0.72 over bagging seeds; 40 trees must beat a constant score's 0.5-ish
        // tie-averaged NDCG and the best single feature by a clear margin.
        var constant = RankingMetrics.Ndcg(test.Labels.Span, new float[test.RowCount], test.QueryBoundaries!, 3, NdcgGain.Linear);
        Assert.True(ndcg3 > 0.64, $"NDCG@3 {ndcg3:F4}");
        Assert.True(ndcg3 > constant + 0.1, $"NDCG@3 {ndcg3:F4} vs constant {constant:F4}");
        Assert.True(model.IsRanking);
        Assert.Equal("lambdarank", model.TrainingOptions["Objective"]);

        // The documented defaults (docs/ranking.md, "Choosing the defaults"), recorded in the model file.
        Assert.Equal("Linear", model.TrainingOptions["Gain"]);
        Assert.Equal("False", model.TrainingOptions["NormalizeQueries"]);
        Assert.Equal("30", model.TrainingOptions["TruncationLevel"]);
    }

    [Fact]
    public void FitRanking_ManyQueriesAcrossRowChunks_IsIdenticalAtAnyThreadCount()
    {
        // More than one 4096-row chunk, with queries straddling chunk edges: every query must be computed exactly once.
        var data = Synthetic(queries: 700, seed: 3);
        Assert.True(data.RowCount > 8192);
        var one = new GradientBoostingLearner(Options(10, 1)).FitRanking(data);
        var four = new GradientBoostingLearner(Options(10, 4)).FitRanking(data);
        Assert.Equal(one.ToBytes(), four.ToBytes());
        var ndcg = RankingMetrics.Ndcg(data.Labels.Span, Raw(one, data), data.QueryBoundaries!, 5);
        Assert.True(ndcg > 0.8, $"NDCG@5 {ndcg:F4} on a learnable synthetic ranking");
    }

    [Fact]
    public void FitRanking_EarlyStoppingOnValidationQueries_StopsAndKeepsTheBest()
    {
        var (train, holdout) = Synthetic(queries: 120, seed: 5, noise: 3).SplitQueries(0.3, seed: 1);
        var options = Options(300);
        options.EarlyStoppingRounds = 5;
        options.LearningRate = 0.3;
        var model = new GradientBoostingLearner(options).FitRanking(train, holdout, new LambdaRankOptions { EarlyStoppingAt = 3 });
        Assert.InRange(model.TreeCount, 1, 299);
    }

    [Fact]
    public void FitRanking_ValidationWithoutQueries_ThrowsNamingValidation()
    {
        var data = Synthetic(queries: 20, seed: 1);
        var flat = data.Select(Enumerable.Range(0, data.RowCount).ToArray());
        var ex = Assert.Throws<ArgumentException>(() => new GradientBoostingLearner(Options(5)).FitRanking(data, flat));
        Assert.Equal("validation", ex.ParamName);
        Assert.Throws<ArgumentException>(() => new GradientBoostingLearner(Options(5)).FitRanking(flat));
    }

    [Fact]
    public void FitRanking_BadInput_ThrowsClearly()
    {
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]);
        var fractional = new Dataset(schema, [1, 2, 3, 4], [0, 1.5f, 0, 1], queryBoundaries: [0, 2, 4]);
        var ex = Assert.Throws<ArgumentException>(() => new GradientBoostingLearner(Options(5)).FitRanking(fractional));
        Assert.Contains("whole numbers", ex.Message);
        var weighted = Options(5);
        weighted.ClassWeighting = ClassWeighting.Balanced;
        Assert.Throws<ArgumentException>(() => new GradientBoostingLearner(weighted).FitRanking(Synthetic(10, 1)));
        Assert.Throws<OptionsValidationException>(() => new GradientBoostingLearner(Options(5)).FitRanking(Synthetic(10, 1), null, new LambdaRankOptions { TruncationLevel = 0, Sigmoid = -1 }));
    }

    [Fact]
    public void RankingModel_SaveLoad_KeepsScoresAndKind_AndRefusesBinaryOnlyOperations()
    {
        var data = Synthetic(queries: 40, seed: 9);
        var model = new GradientBoostingLearner(Options(10)).FitRanking(data, null, new LambdaRankOptions { Gain = NdcgGain.Exponential, NormalizeQueries = true });
        var loaded = TreeEnsembleModel.Load(model.ToBytes());
        Assert.True(loaded.IsRanking);
        Assert.Equal(Raw(model, data), Raw(loaded, data));
        Assert.Throws<InvalidOperationException>(() => loaded.RefitLeaves(data, 0.5));
        Assert.Throws<ArgumentException>(() => new GradientBoostingLearner(Options(5)).ContinueTraining(loaded, data, 2));
        Assert.Equal("lambdarank", new PatternQuality.Scoring.QualityModel(loaded).Info.Trainer);
    }

    [Fact]
    public void FitRanking_AllEqualRelevanceQueriesOnly_PredictsConstant()
    {
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]);
        var rows = 200;
        var x = Enumerable.Range(0, rows).Select(i => (float)i).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => (float)((i / 10) % 2)).ToArray(); // each query of 10 rows has one grade
        var bounds = Enumerable.Range(0, 21).Select(q => q * 10).ToArray();
        var model = new GradientBoostingLearner(Options(5)).FitRanking(new Dataset(schema, x, y, queryBoundaries: bounds));
        Assert.Equal(model.PredictRaw([0f]), model.PredictRaw([150f]));
    }

    internal static Dataset Synthetic(int queries, int seed, double noise = 0.5)
    {
        // Relevance 0-4 from a hidden linear utility of three features plus noise; two irrelevant features.
        var random = new Random(seed);
        var features = new List<float>();
        var labels = new List<float>();
        var bounds = new List<int> { 0 };
        for (var q = 0; q < queries; q++)
        {
            var size = random.Next(2, 25);
            for (var d = 0; d < size; d++)
            {
                var f = Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble()).ToArray();
                var utility = (3 * f[0]) + (2 * f[1]) - f[2] + (noise * (random.NextDouble() - 0.5));
                labels.Add(Math.Clamp((float)Math.Floor(utility + 1), 0, 4));
                features.AddRange(f);
            }

            bounds.Add(labels.Count);
        }

        var schema = new FeatureSchema([.. Enumerable.Range(0, 5).Select(i => new FeatureDefinition("f" + i, FeatureKind.Numeric))]);
        return new Dataset(schema, [.. features], [.. labels], queryBoundaries: [.. bounds]);
    }

    internal static float[] Raw(TreeEnsembleModel model, Dataset data)
        => [.. Enumerable.Range(0, data.RowCount).Select(r => (float)model.PredictRaw(data.GetRow(r)))];
}
