using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// The LambdaRank objective's settings compared on any SVMlight ranking data set (rank.train / rank.test with .query
/// files in one directory): several objective variants under two booster settings, NDCG@1/3/5 (linear and exponential
/// gain) as mean and standard deviation over bagging seeds. Checks that a default is no worse on data it was not chosen
/// on. Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- ranking-defaults DIR [seeds]</c>;
/// benchmarks/compare/ranking_defaults.sh runs it with XGBoost on every data set in one go.
/// </summary>
internal static class RankingDefaults
{
    private static readonly int[] Cutoffs = [1, 3, 5];

    /// <summary>The variants: the objective's defaults, then the alternatives each default was chosen against.</summary>
    private static readonly (string Name, Func<LambdaRankOptions> Options)[] Variants =
    [
        ("defaults: linear gain, not normalised", () => new LambdaRankOptions()),
        ("LightGBM's (our previous defaults): exp gain, query-normalised", () => new LambdaRankOptions { Gain = NdcgGain.Exponential, NormalizeQueries = true }),
        ("exp gain, not normalised", () => new LambdaRankOptions { Gain = NdcgGain.Exponential, NormalizeQueries = false }),
        ("linear gain, query-normalised", () => new LambdaRankOptions { Gain = NdcgGain.Linear, NormalizeQueries = true }),
    ];

    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : Path.Combine(BenchData.Root, "lightgbm-examples", "lambdarank");
        var seeds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var only = args.Length > 2 ? args[2] : null;
        var train = SvmLightLoader.Load(Path.Combine(dir, "rank.train"), new SvmLightLoadOptions { QueryFile = Path.Combine(dir, "rank.train.query") });
        var test = SvmLightLoader.Load(
            Path.Combine(dir, "rank.test"),
            new SvmLightLoadOptions { QueryFile = Path.Combine(dir, "rank.test.query"), FeatureCount = train.Schema.Count });
        Console.WriteLine($"{dir}: {train.QueryCount} train / {test.QueryCount} test queries, {train.Schema.Count} features; {seeds} bagging seeds; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| booster | objective | ndcg@1 | ndcg@3 | ndcg@5 | ndcg_exp@3 | ndcg@3 sd | train s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (booster, options) in Boosters())
        {
            foreach (var (name, ranking) in Variants)
            {
                if (only is not null && !name.Contains(only, StringComparison.Ordinal))
                {
                    continue;
                }

                var runs = new List<double[]>();
                double seconds = 0;
                for (var seed = 1; seed <= seeds; seed++)
                {
                    var start = System.Diagnostics.Stopwatch.GetTimestamp();
                    var model = new GradientBoostingLearner(options(seed)).FitRanking(train, ranking: ranking());
                    seconds += System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
                    runs.Add(Metrics(test, model));
                }

                var mean = Enumerable.Range(0, runs[0].Length).Select(i => runs.Average(r => r[i])).ToArray();
                var sd = Math.Sqrt(runs.Sum(r => (r[1] - mean[1]) * (r[1] - mean[1])) / Math.Max(1, runs.Count - 1));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {booster} | {name} | {mean[0]:F4} | {mean[1]:F4} | {mean[2]:F4} | {mean[4]:F4} | {sd:F4} | {seconds / seeds:F1} |"));
            }
        }
    }

    private static IEnumerable<(string Name, Func<int, GradientBoostingOptions> Options)> Boosters()
    {
        // LightGBM's example train.conf, as in the `ranking` harness.
        yield return ("train.conf", RankingComparison.TrainConfOptions);

        // The library's booster defaults; bagging 0.9 only so that seeds vary (the default has no bagging).
        yield return ("library defaults + bagging 0.9", seed => new GradientBoostingOptions
        {
            BaggingFraction = 0.9,
            BaggingFrequency = 1,
            NumberOfThreads = 2,
            Seed = seed,
        });
    }

    private static double[] Metrics(Dataset data, TreeEnsembleModel model)
    {
        var scores = new float[data.RowCount];
        for (var r = 0; r < scores.Length; r++)
        {
            scores[r] = (float)model.PredictRaw(data.GetRow(r));
        }

        var bounds = data.QueryBoundaries!;
        var labels = data.Labels.ToArray();
        return
        [
            .. Cutoffs.Select(k => RankingMetrics.Ndcg(labels, scores, bounds, k, NdcgGain.Linear)),
            .. Cutoffs.Select(k => RankingMetrics.Ndcg(labels, scores, bounds, k, NdcgGain.Exponential)),
        ];
    }
}
