using System.Diagnostics;
using PatternQuality.ActiveLearning;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Issue 16's latency target: one query round over a pool of 10,000 candidates with a 100-tree model. The round
/// includes building the <see cref="QueryContext"/> (which scores the pool) and <see cref="IQueryStrategy.Select"/>
/// of a batch of 100. Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- query-round</c>.
/// </summary>
internal static class QueryRoundLatency
{
    public static void Run()
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
        var (train, test) = BenchData.Coupon();
        var model = new GradientBoostingLearner(TreeComparison.XgboostLikeOptions()).Fit(train);
        Console.WriteLine($"model: {model.TreeCount} trees, 31 leaves, trained on {train.RowCount:N0} coupon rows");

        // The pool: 10,000 rows (the test rows, then training rows), as unlabelled candidates.
        const int PoolSize = 10_000;
        var f = train.Schema.Count;
        var pool = new float[PoolSize * f];
        for (var r = 0; r < PoolSize; r++)
        {
            (r < test.RowCount ? test.GetRow(r) : train.GetRow(r - test.RowCount)).CopyTo(pool.AsSpan(r * f));
        }

        var candidates = Enumerable.Range(0, PoolSize).ToArray();
        var probabilities = new float[PoolSize];
        var scoring = new List<double>();
        for (var rep = 0; rep < 6; rep++)
        {
            var sw = Stopwatch.StartNew();
            model.PredictProbability(pool, probabilities);
            scoring.Add(sw.Elapsed.TotalMilliseconds);
        }

        scoring.Sort();
        Console.WriteLine($"scoring the 10,000 candidates alone (batch): median {scoring[3]:F1} ms, best {scoring[0]:F1} ms");
        var labelled = train.Select(Enumerable.Range(0, 2_000).ToArray());
        var learner = new GradientBoostingLearner(TreeComparison.XgboostLikeOptions());
        foreach (var name in QueryStrategies.Names)
        {
            var strategy = QueryStrategies.Create(name);
            var times = new List<double>();
            for (var round = 0; round < 6; round++)
            {
                var sw = Stopwatch.StartNew();
                var context = new QueryContext(train.Schema, pool, candidates, model, labelled, learner, seed: round);
                var chosen = strategy.Select(context, 100);
                var elapsed = sw.Elapsed.TotalMilliseconds;
                if (chosen.Length != 100)
                {
                    throw new InvalidOperationException($"{name} chose {chosen.Length} candidates.");
                }

                if (round > 0)
                {
                    times.Add(elapsed); // round 0 warms up the JIT
                }
            }

            times.Sort();
            Console.WriteLine($"{name,-16} one round (10,000 candidates, batch 100): median {times[times.Count / 2]:F1} ms, best {times[0]:F1} ms (5 rounds after a warm-up)");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
