using System.Diagnostics;
using PatternQuality.Evaluation;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// The C# side of the tree-engine comparison: AUC and best-of-N wall time with the same settings as
/// benchmarks/compare/compare_trees.py. Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- compare</c>.
/// </summary>
internal static class TreeComparison
{
    public static GradientBoostingOptions XgboostLikeOptions(int? threads = 2) => new()
    {
        NumberOfTrees = 100,
        NumberOfLeaves = 31,
        LearningRate = 0.1,
        MaximumBinCountPerFeature = 255,
        NumberOfThreads = threads,
        Seed = 1,
    };

    public static RandomForestOptions ForestOptions(int? threads = 2) => new()
    {
        NumberOfTrees = 100,
        MaximumDepth = 10,
        ClassWeighting = ClassWeighting.Balanced,
        NumberOfThreads = threads,
        Seed = 1,
    };

    /// <summary>Runs the comparison; <c>--scoring</c> skips the training measurements and adds ML.NET FastTree's scoring.</summary>
    public static void Run(string[] args)
    {
        var scoringOnly = args.Contains("--scoring");
        var binaryTrain = BenchData.BinaryTrain();
        var binaryTest = BenchData.BinaryTest();
        var (couponTrain, couponTest) = BenchData.Coupon();
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {load}");
        foreach (var (name, train, test) in scoringOnly ? [] : new[] { ("binary", binaryTrain, binaryTest), ("coupon-native", couponTrain, couponTest) })
        {
            Report(name, "gbdt", () => new GradientBoostingLearner(XgboostLikeOptions()).Fit(train), test);
            Report(name, "forest", () => new RandomForestLearner(ForestOptions()).Fit(train), test);
        }

        var model = new GradientBoostingLearner(XgboostLikeOptions()).Fit(binaryTrain);
        var row = binaryTest.GetRow(0).ToArray();
        const int Single = 2_000_000;
        var best = double.MaxValue;
        var bestCpu = double.MaxValue;
        for (var rep = 0; rep < 5; rep++)
        {
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var sink = 0f;
            for (var i = 0; i < Single; i++)
            {
                sink += model.PredictProbability(row);
            }

            best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1000 / Single);
            bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds * 1000 / Single);
            GC.KeepAlive(sink);
        }

        Console.WriteLine($"score single row: {best:F3} us wall, {bestCpu:F3} us CPU (best of 5 x {Single:N0})");
        if (scoringOnly)
        {
            EngineComparison.MLNetScoring(binaryTrain, binaryTest);
        }

        var f = binaryTrain.Schema.Count;
        const int Rows = 3_000_000;
        var batch = new float[Rows * f];
        for (var r = 0; r < Rows; r++)
        {
            binaryTrain.GetRow(r % binaryTrain.RowCount).CopyTo(batch.AsSpan(r * f));
        }

        var destination = new float[Rows];
        var bestBatch = double.MaxValue;
        var bestBatchCpu = double.MaxValue;
        for (var rep = 0; rep < 5; rep++)
        {
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            model.PredictProbability(batch, destination);
            bestBatch = Math.Min(bestBatch, sw.Elapsed.TotalSeconds);
            bestBatchCpu = Math.Min(bestBatchCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
        }

        var loopCpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var r = 0; r < Rows; r++)
        {
            destination[r] = model.PredictProbability(batch.AsSpan(r * f, f));
        }

        var loopRate = Rows / (Process.GetCurrentProcess().TotalProcessorTime - loopCpu).TotalSeconds / 1e6;
        Console.WriteLine($"score loop of single rows, one thread: {loopRate:F2} M rows per CPU-second");

        // CPU time covers both cores, so rows per CPU-second times 2 is the rate two idle cores would reach.
        Console.WriteLine($"score batch: {Rows / bestBatch / 1e6:F2} M rows/s wall, {2 * Rows / bestBatchCpu / 1e6:F2} M rows/s per 2 CPU-seconds (best of 5 x {Rows:N0} rows)");
        CompareLayouts("binary", model, batch, f);
        var coupon = new GradientBoostingLearner(XgboostLikeOptions()).Fit(couponTrain);
        var cf = couponTest.Schema.Count;
        var couponBatch = new float[500_000 * cf];
        for (var r = 0; r < 500_000; r++)
        {
            couponTest.GetRow(r % couponTest.RowCount).CopyTo(couponBatch.AsSpan(r * cf));
        }

        CompareLayouts("coupon", coupon, couponBatch, cf);
    }

    /// <summary>One thread, the same rows: the bitvector batch layout against the node-at-a-time walk, alternating, best of 5 each.</summary>
    private static void CompareLayouts(string name, TreeEnsembleModel model, float[] batch, int f)
    {
        var ensemble = model.Ensemble;
        var rows = Math.Min(500_000, batch.Length / f);
        var destination = new float[rows];
        var best = new[] { double.MaxValue, double.MaxValue };
        var layouts = new[] { null, ensemble.BatchLayout(f) };
        for (var rep = 0; rep < 5; rep++)
        {
            for (var l = 0; l < 2; l++)
            {
                var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                ensemble.PredictBinaryProbabilities(batch.AsSpan(0, rows * f), f, destination, layouts[l]);
                best[l] = Math.Min(best[l], (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
            }
        }

        Console.WriteLine($"{name} layouts, one thread: node-at-a-time {rows / best[0] / 1e6:F2} M rows per CPU-second, bitvector {(layouts[1] is null ? "n/a" : $"{rows / best[1] / 1e6:F2}")} M rows per CPU-second (x{best[0] / best[1]:F2}), best of 5 x {rows:N0} rows");
    }

    private static void Report(string data, string learner, Func<TreeEnsembleModel> fit, PatternQuality.Data.Dataset test)
    {
        var model = fit();
        var times = new List<double>();
        var cpu = new List<double>();
        for (var rep = 0; rep < 4; rep++)
        {
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            model = fit();
            times.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
        }

        var p = new float[test.RowCount];
        model.PredictProbability(test.Features.Span, p);
        Console.WriteLine($"{data,-14} {learner,-7} AUC {BinaryMetrics.Auc(test.Labels.Span, p):F4}  train {times.Min():F3} s wall, {cpu.Min():F3} s CPU (best of 4, after warm-up)");
    }
}
