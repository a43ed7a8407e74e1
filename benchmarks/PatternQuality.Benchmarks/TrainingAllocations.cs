using System.Diagnostics;
using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Training;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// What a training allocates and how long the GC pauses for it (issue 10: a retrain's garbage is what stalls the
/// requests served beside it). Bytes and collection counts do not depend on the machine's load; pause times do.
/// </summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- training-alloc [repeats]</c></remarks>
internal static class TrainingAllocations
{
    public static void Run(string[] args)
    {
        var repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var coupon = BenchData.LoadCouponCsv();
        var binary = BenchData.BinaryTrain();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, server GC {System.Runtime.GCSettings.IsServerGC}.");
        Console.WriteLine();
        Console.WriteLine("| work | rows x features | allocated MB | gen0/gen1/gen2 | GC pause ms | wall s |");
        Console.WriteLine("|---|---|---:|---|---:|---:|");
        if (args.Contains("--types"))
        {
            // Sampled allocations by type (the runtime's AllocationTick event, about one per 100 KB allocated).
            using var listener = new AllocationTypes();
            if (args.Contains("fit"))
            {
                new GradientBoostingLearner().Fit(coupon.Dataset);
            }
            else
            {
                new QualityTrainer().TrainAsync(coupon).GetAwaiter().GetResult();
            }

            foreach (var (type, mb) in listener.Top(15))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mb,8:0.0} MB  {type}"));
            }

            return;
        }

        for (var r = 0; r < repeats; r++)
        {
            Measure("GBDT fit, defaults (LightGBM binary example)", binary.RowCount, binary.Schema.Count, () => new GradientBoostingLearner().Fit(binary));
            Measure("GBDT fit, defaults (coupon)", coupon.Dataset.RowCount, coupon.Dataset.Schema.Count, () => new GradientBoostingLearner().Fit(coupon.Dataset));
            Measure("QualityTrainer, defaults (coupon: split, fit, calibration folds, report)", coupon.Dataset.RowCount, coupon.Dataset.Schema.Count, () => new QualityTrainer().TrainAsync(coupon).GetAwaiter().GetResult());
        }
    }

    private static void Measure(string name, int rows, int features, Func<object> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pause = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        GC.KeepAlive(work());
        clock.Stop();
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / 1e6;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {rows:N0} x {features} | {allocated:0.0} | {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} | {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} | {clock.Elapsed.TotalSeconds:0.00} |"));
    }

    private sealed class AllocationTypes : System.Diagnostics.Tracing.EventListener
    {
        private readonly Dictionary<string, long> _bytes = [];

        public IEnumerable<(string Type, double Mb)> Top(int n)
        {
            lock (_bytes)
            {
                return _bytes.OrderByDescending(kv => kv.Value).Take(n).Select(kv => (kv.Key, kv.Value / 1e6)).ToArray();
            }
        }

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
            {
                return;
            }

            var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
            var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], CultureInfo.InvariantCulture) : 100_000;
            lock (_bytes)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
