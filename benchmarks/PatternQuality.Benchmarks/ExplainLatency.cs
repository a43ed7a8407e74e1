using System.Diagnostics;
using System.Globalization;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Latency of explaining one row (exact TreeSHAP) with a 100-tree, 31-leaf model on LightGBM's binary example, next
/// to scoring the same row, in one run: <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- explain-latency</c>.
/// </summary>
internal static class ExplainLatency
{
    public static void Run()
    {
        var train = BenchData.BinaryTrain();
        var test = BenchData.BinaryTest();
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 100, NumberOfLeaves = 31, Seed = 1 }).Fit(train);
        var f = test.Schema.Count;
        var rows = test.Features.ToArray();
        var phi = new double[f + 1];
        var legacy = new LegacyTreeShap(model.Ensemble, f);

        // The same quadrature with every tree through the general vector loop (the implementation before the unrolled
        // fixed-width code), so the two are timed on the same calls.
        var general = new PatternQuality.Trees.Internal.TreeShap(model.Ensemble, f, packed: false);
        var narrow = new PatternQuality.Trees.Internal.TreeShap(model.Ensemble, f, wide: false);

        // Warm up (JIT tiers, the explainer's one-time build), then time every call of several passes over the test rows.
        for (var r = 0; r < test.RowCount; r++)
        {
            model.PredictContributions(rows.AsSpan(r * f, f), phi);
            model.PredictRaw(rows.AsSpan(r * f, f));
            legacy.Explain(rows.AsSpan(r * f, f), phi);
            general.Explain(rows.AsSpan(r * f, f), phi);
            narrow.Explain(rows.AsSpan(r * f, f), phi);
        }

        var legacyTimes = new List<double>(5 * test.RowCount);
        var explain = new List<double>(5 * test.RowCount);
        var score = new List<double>(5 * test.RowCount);
        var generalTimes = new List<double>(5 * test.RowCount);
        var narrowTimes = new List<double>(5 * test.RowCount);
        for (var pass = 0; pass < 5; pass++)
        {
            for (var r = 0; r < test.RowCount; r++)
            {
                var x = rows.AsSpan(r * f, f);
                var t0 = Stopwatch.GetTimestamp();
                model.PredictContributions(x, phi);
                var t1 = Stopwatch.GetTimestamp();
                model.PredictRaw(x);
                var t2 = Stopwatch.GetTimestamp();
                legacy.Explain(x, phi);
                var t3 = Stopwatch.GetTimestamp();
                general.Explain(x, phi);
                var t4 = Stopwatch.GetTimestamp();
                generalTimes.Add((t4 - t3) * 1e6 / Stopwatch.Frequency);
                narrow.Explain(x, phi);
                narrowTimes.Add((Stopwatch.GetTimestamp() - t4) * 1e6 / Stopwatch.Frequency);
                explain.Add((t1 - t0) * 1e6 / Stopwatch.Frequency);
                score.Add((t2 - t1) * 1e6 / Stopwatch.Frequency);
                legacyTimes.Add((t3 - t2) * 1e6 / Stopwatch.Frequency);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < test.RowCount; r++)
        {
            model.PredictContributions(rows.AsSpan(r * f, f), phi);
        }

        var perCall = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / test.RowCount;
        var depth = model.Explainer.MaxDepth;
        Console.WriteLine("trees per unrolled width (0 = general loop): " + string.Join(", ", model.Explainer.PackedWidths.GroupBy(w => w).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")) + $"; 512-bit vectors: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model: {model.TreeCount} trees x {31} leaves (max depth {depth}), {f} features; {explain.Count} timed calls; {Environment.ProcessorCount} cores"));
        Console.WriteLine("| operation | min (us) | p10 (us) | p50 (us) | p90 (us) | p99 (us) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Print($"explain one row (TreeSHAP, {f} contributions + bias)", explain);
        Print("explain one row (unrolled, 256-bit vectors only)", narrowTimes);
        Print("explain one row (same quadrature, general vector loop: previous implementation)", generalTimes);
        Print("explain one row (Algorithm 2 extend/unwind, previous implementation before that)", legacyTimes);
        Print("score one row (raw margin)", score);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated per explanation: {perCall:0.#} bytes"));
    }

    private static void Print(string name, List<double> micros)
    {
        micros.Sort();
        double At(double q) => micros[(int)Math.Min(micros.Count - 1, q * micros.Count)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {micros[0]:0.0} | {At(0.1):0.0} | {At(0.5):0.0} | {At(0.9):0.0} | {At(0.99):0.0} |"));
    }
}
