using System.Diagnostics;
using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Latency of ranking 20 candidates in process, the request path of issue #14's target (p95 &lt; 1 ms):
/// <see cref="PatternScorer{TPattern}.Rank"/> (feature extraction of every candidate, scoring, calibration, sorting)
/// with a 100-tree lambdarank model (LightGBM's lambdarank example, 300 features) and with a 100-tree binary model
/// (LightGBM's binary example, 28 features), each with a Platt calibrator, beside the same model without the scorer
/// (row-by-row raw <see cref="TreeEnsembleModel.PredictRaw"/> of 20 prepared rows and a sort). Reports p50/p95/p99
/// and bytes allocated per request, and the load average, since the machine is shared.
/// Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- rank-latency [requests]</c>.
/// </summary>
internal static class RankLatency
{
    private const int Candidates = 20;
    private const int Warmup = 500;

    public static void Run(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var (rankTrain, rankTest) = RankingComparison.Load();
        var ranker = new GradientBoostingLearner(RankingComparison.TrainConfOptions(1)).FitRanking(rankTrain);
        var binaryTrain = BenchData.BinaryTrain();
        var binaryTest = BenchData.BinaryTest();
        var binary = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 100, NumberOfLeaves = 31, Seed = 1, NumberOfThreads = 2 }).Fit(binaryTrain);

        Console.WriteLine($"ranking {Candidates} candidates per request, {requests:N0} timed requests after {Warmup} warm-up; {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average at start {LoadAverage()}");
        Console.WriteLine("| path | model | p50 ms | p95 ms | p99 ms | max ms | bytes allocated per request |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        Measure("PatternScorer.Rank (extract, score, calibrate, sort)", "lambdarank, 100 trees x 31 leaves, 300 features", ranker, rankTest, requests, useScorer: true);
        Measure("PredictRaw of 20 prepared rows + sort", "lambdarank, 100 trees x 31 leaves, 300 features", ranker, rankTest, requests, useScorer: false);
        Measure("PatternScorer.Rank (extract, score, calibrate, sort)", "binary, 100 trees x 31 leaves, 28 features", binary, binaryTest, requests, useScorer: true);
        Measure("PredictRaw of 20 prepared rows + sort", "binary, 100 trees x 31 leaves, 28 features", binary, binaryTest, requests, useScorer: false);
        Console.WriteLine($"load average at end {LoadAverage()}");
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private static void Measure(string path, string modelName, TreeEnsembleModel model, Dataset data, int requests, bool useScorer)
    {
        var f = data.Schema.Count;
        var extractor = new FeatureExtractorBuilder<float[]>();
        for (var i = 0; i < f; i++)
        {
            var column = i;
            extractor.Numeric(data.Schema[i].Name, p => float.IsNaN(p[column]) ? null : p[column]);
        }

        // A Platt calibrator fitted on the data's own scores: the scorer then does what a trained QualityModel does.
        var raw = new float[data.RowCount];
        for (var r = 0; r < raw.Length; r++)
        {
            raw[r] = (float)(1 / (1 + Math.Exp(-model.PredictRaw(data.GetRow(r)))));
        }

        var accepted = data.Labels.ToArray().Select(y => y > 0 ? 1f : 0f).ToArray();
        var scorer = new PatternScorer<float[]>(extractor.Build(), new QualityModelHolder(new QualityModel(model, PlattCalibrator.Fit(raw, accepted))));

        // Distinct candidate lists (rows drawn across the test set), so no request repeats the previous one's cache lines.
        const int Distinct = 512;
        var lists = Enumerable.Range(0, Distinct)
            .Select(q => Enumerable.Range(0, Candidates).Select(c => data.GetRow(((q * 7) + (c * 31)) % data.RowCount).ToArray()).ToArray())
            .ToArray();
        var scores = new double[Candidates];
        var order = new int[Candidates];
        int Request(float[][] candidates)
        {
            if (useScorer)
            {
                return scorer.Rank(candidates, top: Candidates).Count;
            }

            for (var c = 0; c < candidates.Length; c++)
            {
                scores[c] = model.PredictRaw(candidates[c]);
                order[c] = c;
            }

            Array.Sort(scores, order);
            return candidates.Length;
        }

        for (var r = 0; r < Warmup; r++)
        {
            Request(lists[r % Distinct]);
        }

        var times = new double[requests];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < requests; r++)
        {
            var start = Stopwatch.GetTimestamp();
            if (Request(lists[r % Distinct]) != Candidates)
            {
                throw new InvalidOperationException("A ranking lost candidates.");
            }

            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var perRequest = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / requests;
        Array.Sort(times);
        double At(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {path} | {modelName} | {At(0.5):F3} | {At(0.95):F3} | {At(0.99):F3} | {times[^1]:F3} | {perRequest:N0} |"));
    }
}
