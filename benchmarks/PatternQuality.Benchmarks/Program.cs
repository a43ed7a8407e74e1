using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace PatternQuality.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Harnesses that measure quality rather than speed run without BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "learning-curve")
        {
            return await LearningCurve.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "calibration")
        {
            return await LearningCurveCalibration.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "query-round")
        {
            QueryRoundLatency.Run();
            return 0;
        }

        if (args.Length > 0 && args[0] == "engines")
        {
            EngineComparison.Run();
            return 0;
        }

        if (args.Length > 0 && args[0] == "experiments")
        {
            ExperimentSimulationBenchmark.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "ranking")
        {
            RankingComparison.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "ranking-defaults")
        {
            RankingDefaults.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "rank-latency")
        {
            RankLatency.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "compare")
        {
            TreeComparison.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "multiclass-pipeline")
        {
            return await MulticlassComparison.RunPipelineAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "multiclass")
        {
            return MulticlassComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "storage")
        {
            return await StorageThroughput.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "serve-load")
        {
            return await ServeLoad.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "serve-anchor")
        {
            return await ServeLoad.RunAnchorAsync();
        }

        if (args.Length > 0 && args[0] == "training-alloc")
        {
            TrainingAllocations.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "training-scaling")
        {
            return TrainingScaling.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "explain-latency")
        {
            ExplainLatency.Run();
            return 0;
        }

        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();

        // A benchmark that throws or a suite that fails validation must fail the run: CI's smoke run
        // (`--job dry --inProcess` in .ci/run) relies on the exit code so benchmarks never rot unnoticed.
        var failed = summaries.Sum(s => s.Reports.Count(r => !r.Success) + (s.HasCriticalValidationErrors ? 1 : 0));
        if (failed > 0)
        {
            Console.Error.WriteLine($"{failed} benchmark(s) failed.");
            return 1;
        }

        return 0;
    }
}
