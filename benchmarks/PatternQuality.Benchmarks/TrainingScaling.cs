using System.Diagnostics;
using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// How training cost grows with rows (issue 17 item 4): 100 trees of 31 leaves, 255 bins, 2 threads on a numeric CSV
/// written by <c>benchmarks/compare/make_synthetic_csv.py</c>. Prints one JSON line: rows, features, fit wall and CPU
/// seconds, peak resident memory while fitting (the input matrix included, as it is for XGBoost) and the whole
/// process's peak. <c>benchmarks/compare/training_scaling.sh</c> runs it beside XGBoost hist on the same files.
/// </summary>
/// <remarks>
/// The CSV is read by a plain parser here, not the library's loader, so the figures are the tree engine's alone and
/// the loader's own cost (issue 19, docs/benchmarks.md#loading) does not blur them. The peak while fitting is measured
/// by resetting the kernel's high-water mark (<c>/proc/self/clear_refs</c>) after loading.
/// </remarks>
internal static class TrainingScaling
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: training-scaling FILE.csv [--threads N]");
            return 2;
        }

        var threads = args.Contains("--threads") ? int.Parse(args[Array.IndexOf(args, "--threads") + 1], CultureInfo.InvariantCulture) : 2;
        var data = Load(args[0]);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var loaded = Memory("VmRSS");
        var reset = TryResetPeak();
        var options = TreeComparison.XgboostLikeOptions(threads);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var model = new GradientBoostingLearner(options).Fit(data);
        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var fitPeak = reset ? Memory("VmHWM") : double.NaN;
        GC.KeepAlive(model);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"engine\": \"ours\", \"rows\": {data.RowCount}, \"features\": {data.Schema.Count}, \"trees\": {model.TreeCount}, \"fit_seconds\": {clock.Elapsed.TotalSeconds:0.000}, \"fit_cpu_seconds\": {cpuSeconds:0.000}, \"loaded_mb\": {loaded:0}, \"fit_peak_mb\": {fitPeak:0}}}"));
        return 0;
    }

    /// <summary>Reads a header line, then rows of floats with the label (0/1) in the last column.</summary>
    private static Dataset Load(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.");
        var f = header.Split(',').Length - 1;
        var x = new List<float>(1 << 20);
        var y = new List<float>(1 << 16);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var span = line.AsSpan();
            for (var j = 0; j <= f; j++)
            {
                var comma = span.IndexOf(',');
                var cell = comma < 0 ? span : span[..comma];
                var value = float.Parse(cell, CultureInfo.InvariantCulture);
                if (j < f)
                {
                    x.Add(value);
                }
                else
                {
                    y.Add(value);
                }

                span = comma < 0 ? [] : span[(comma + 1)..];
            }
        }

        var schema = new FeatureSchema(Enumerable.Range(0, f).Select(i => new FeatureDefinition($"f{i}", FeatureKind.Numeric)));
        return new Dataset(schema, x.ToArray(), y.ToArray());
    }

    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A field of /proc/self/status in MB (VmRSS now, VmHWM the peak).</summary>
    private static double Memory(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return double.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }
}
