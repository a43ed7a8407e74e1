using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using RankingMetrics = PatternQuality.Evaluation.RankingMetrics;
using SvmLightLoader = PatternQuality.Data.SvmLightLoader;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// LambdaRank on LightGBM's lambdarank example, side by side with ML.NET's FastTree and LightGbm ranking trainers in
/// the same process and with the same settings (LightGBM's train.conf: 100 trees, 31 leaves, learning rate 0.1,
/// 50 rows per leaf). NDCG is computed for every model by <see cref="RankingMetrics"/>, linear gain (scikit-learn's
/// ndcg_score) and exponential gain (LightGBM's). XGBoost's side is benchmarks/compare/compare_ranking.py.
/// Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- ranking [seeds]</c>.
/// </summary>
internal static class RankingComparison
{
    private static readonly int[] Cutoffs = [1, 3, 5];

    public static GradientBoostingOptions TrainConfOptions(int seed) => new()
    {
        NumberOfTrees = 100,
        NumberOfLeaves = 31,
        LearningRate = 0.1,
        MinimumExampleCountPerLeaf = 50,
        MinimumChildWeight = 5.0,
        BaggingFraction = 0.9,
        BaggingFrequency = 1,
        NumberOfThreads = 2,
        Seed = seed,
    };

    public static (Dataset Train, Dataset Test) Load()
    {
        var dir = Path.Combine(BenchData.Root, "lightgbm-examples", "lambdarank");
        var train = SvmLightLoader.Load(Path.Combine(dir, "rank.train"), new SvmLightLoadOptions { QueryFile = Path.Combine(dir, "rank.train.query") });
        var test = SvmLightLoader.Load(
            Path.Combine(dir, "rank.test"),
            new SvmLightLoadOptions { QueryFile = Path.Combine(dir, "rank.test.query"), FeatureCount = train.Schema.Count });
        return (train, test);
    }

    public static void Run(string[] args)
    {

        var seeds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var (train, test) = Load();
        Console.WriteLine($"lambdarank example: {train.QueryCount} train / {test.QueryCount} test queries, {train.Schema.Count} features; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine("model | ndcg@1 | ndcg@3 | ndcg@5 (linear gain) | ndcg_exp@1 | ndcg_exp@3 | ndcg_exp@5 | train s");

        var runs = new List<(double[] Metrics, double Seconds)>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var sw = Stopwatch.StartNew();
            var model = new GradientBoostingLearner(TrainConfOptions(seed)).FitRanking(train);
            var seconds = sw.Elapsed.TotalSeconds;
            runs.Add((Metrics(test, Predict(test, model.PredictRaw)), seconds));
        }

        Print($"PatternQuality lambdarank (mean of {seeds} bagging seeds)", Mean(runs.Select(r => r.Metrics)), runs.Average(r => r.Seconds));
        Print("PatternQuality lambdarank (seed 1)", runs[0].Metrics, runs[0].Seconds);
        var ours = new GradientBoostingLearner(TrainConfOptions(1)).FitRanking(train);

        var ml = new MLContext(seed: 1);
        var trainView = ToDataView(ml, train);
        var testView = ToDataView(ml, test);
        var key = ml.Transforms.Conversion.MapValueToKey("GroupId");
        var fastTree = MlNet(ml, "ML.NET FastTree ranking", key.Append(ml.Ranking.Trainers.FastTree(
            labelColumnName: "Label", featureColumnName: "Features", rowGroupColumnName: "GroupId",
            numberOfLeaves: 31, numberOfTrees: 100, minimumExampleCountPerLeaf: 50, learningRate: 0.1)), trainView, testView, test);
        MlNet(ml, "ML.NET LightGbm ranking", key.Append(ml.Ranking.Trainers.LightGbm(
            labelColumnName: "Label", featureColumnName: "Features", rowGroupColumnName: "GroupId",
            numberOfLeaves: 31, minimumExampleCountPerLeaf: 50, learningRate: 0.1, numberOfIterations: 100)), trainView, testView, test);
        RankLatency(ml, ours, fastTree, test);
    }

    /// <summary>
    /// Ranking 20 candidates in process, the seed's request path: <see cref="PatternScorer{TPattern}.Rank"/> with the
    /// 100-tree ranking model (feature extraction, scoring, sorting) beside ML.NET FastTree ranking the same 20 rows
    /// through its transformer, 2,000 requests each after 200 warm-up requests.
    /// </summary>
    private static void RankLatency(MLContext ml, TreeEnsembleModel ours, ITransformer fastTree, Dataset test)
    {
        const int Candidates = 20, Requests = 2_000, Warmup = 200;
        var f = test.Schema.Count;
        var extractor = new FeatureExtractorBuilder<float[]>();
        for (var i = 0; i < f; i++)
        {
            var column = i;
            extractor.Numeric(test.Schema[i].Name, p => float.IsNaN(p[column]) ? null : p[column]);
        }

        var scorer = new PatternScorer<float[]>(extractor.Build(), new QualityModelHolder(new QualityModel(ours)));
        var requests = Enumerable.Range(0, Requests + Warmup)
            .Select(r => Enumerable.Range(0, Candidates).Select(c => test.GetRow(((r * 7) + (c * 31)) % test.RowCount).ToArray()).ToArray())
            .ToArray();
        var mine = Time(requests, Warmup, candidates => scorer.Rank(candidates, top: Candidates).Count);
        var theirs = Time(requests, Warmup, candidates =>
        {
            var view = ml.Data.LoadFromEnumerable(
                candidates.Select(c => new RankRow { Features = c }),
                Schema(f));
            return ml.Data.CreateEnumerable<ScoreRow>(fastTree.Transform(view), reuseRowObject: false).OrderByDescending(s => s.Score).Count();
        });
        Console.WriteLine($"ranking {Candidates} candidates, {Requests:N0} requests, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}:");
        Console.WriteLine("path | p50 ms | p95 ms | p99 ms");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PatternScorer.Rank, lambdarank 100 trees | {mine[0]:F3} | {mine[1]:F3} | {mine[2]:F3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ML.NET FastTree ranking transformer, 100 trees | {theirs[0]:F3} | {theirs[1]:F3} | {theirs[2]:F3}"));
    }

    private static double[] Time(float[][][] requests, int warmup, Func<float[][], int> rank)
    {
        var times = new List<double>(requests.Length);
        for (var r = 0; r < requests.Length; r++)
        {
            var start = Stopwatch.GetTimestamp();
            if (rank(requests[r]) != requests[r].Length)
            {
                throw new InvalidOperationException("A ranking lost candidates.");
            }

            if (r >= warmup)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        times.Sort();
        return [times[times.Count / 2], times[(int)(times.Count * 0.95)], times[(int)(times.Count * 0.99)]];
    }

    private static SchemaDefinition Schema(int features)
    {
        var schema = SchemaDefinition.Create(typeof(RankRow));
        schema[nameof(RankRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    private static ITransformer MlNet(MLContext ml, string name, IEstimator<ITransformer> pipeline, IDataView train, IDataView test, Dataset testSet)
    {
        var sw = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        var seconds = sw.Elapsed.TotalSeconds;
        var scores = ml.Data.CreateEnumerable<ScoreRow>(model.Transform(test), reuseRowObject: false).Select(r => r.Score).ToArray();
        Print(name, Metrics(testSet, scores), seconds);
        return model;
    }

    private static float[] Predict(Dataset data, Func<ReadOnlySpan<float>, double> raw)
    {
        var scores = new float[data.RowCount];
        for (var r = 0; r < scores.Length; r++)
        {
            scores[r] = (float)raw(data.GetRow(r));
        }

        return scores;
    }

    private static double[] Metrics(Dataset data, float[] scores)
    {
        var bounds = data.QueryBoundaries!;
        var labels = data.Labels.ToArray();
        return
        [
            .. Cutoffs.Select(k => RankingMetrics.Ndcg(labels, scores, bounds, k, NdcgGain.Linear)),
            .. Cutoffs.Select(k => RankingMetrics.Ndcg(labels, scores, bounds, k, NdcgGain.Exponential)),
        ];
    }

    private static double[] Mean(IEnumerable<double[]> rows)
    {
        var list = rows.ToList();
        return [.. Enumerable.Range(0, list[0].Length).Select(i => list.Average(r => r[i]))];
    }

    private static void Print(string name, double[] m, double seconds)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} | {string.Join(" | ", m.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))} | {seconds:F2}"));

    private static IDataView ToDataView(MLContext ml, Dataset data)
    {
        var bounds = data.QueryBoundaries!;
        var rows = new List<RankRow>(data.RowCount);
        for (var q = 0; q + 1 < bounds.Count; q++)
        {
            for (var r = bounds[q]; r < bounds[q + 1]; r++)
            {
                rows.Add(new RankRow { Label = data.Labels.Span[r], GroupId = (uint)q, Features = data.GetRow(r).ToArray() });
            }
        }

        var schema = SchemaDefinition.Create(typeof(RankRow));
        schema[nameof(RankRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.Schema.Count);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class RankRow
    {
        public float Label { get; set; }

        public uint GroupId { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
