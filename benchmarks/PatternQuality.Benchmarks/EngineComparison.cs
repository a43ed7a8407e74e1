using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.MLNet;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Issue 12 item 5: our engine beside ML.NET FastTree and ML.NET LightGbm in one process, with the settings of
/// <see cref="TreeComparison"/> (100 trees, 31 leaves, learning rate 0.1, at least 20 rows per leaf, 2 threads).
/// XGBoost's figures come from benchmarks/compare/compare_trees.py run in the same session (benchmarks/compare/engines.sh).
/// Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- engines</c>.
/// </summary>
internal static class EngineComparison
{
    private const int Threads = 2;

    public static void Run()
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
        var (couponTrain, couponTest) = BenchData.Coupon();
        foreach (var (name, train, test) in new[] { ("binary", BenchData.BinaryTrain(), BenchData.BinaryTest()), ("coupon", couponTrain, couponTest) })
        {
            Compare(name, train, test);
        }
    }

    private static void Compare(string name, Dataset train, Dataset test)
    {
        var context = new MLContext(seed: 1);
        var trainView = View(context, train);
        var testView = View(context, test);

        var ours = Measure(() => new GradientBoostingLearner(TreeComparison.XgboostLikeOptions(Threads)).Fit(train));
        var oursScores = new float[test.RowCount];
        ours.Model.PredictProbability(test.Features.Span, oursScores);
        Report(name, "ours gbdt", BinaryMetrics.Auc(test.Labels.Span, oursScores), ours);

        var fastTree = Measure(() => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 100, NumberOfLeaves = 31, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = Threads, Seed = 1,
        }).Fit(trainView));
        var lightGbm = Measure(() => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = 100, NumberOfLeaves = 31, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = Threads, Seed = 1,
        }).Fit(trainView));
        foreach (var (engine, measured, convert) in new (string, Measured<ITransformer>, Func<TreeEnsembleModel>)[]
        {
            ("ml.net fasttree", new(fastTree.Model, fastTree.Seconds, fastTree.CpuSeconds, fastTree.AllocatedBytes),
                () => MLNetTreeConverter.Convert(fastTree.Model.Model.SubModel, fastTree.Model.Model.Calibrator, train.Schema)),
            ("ml.net lightgbm", new(lightGbm.Model, lightGbm.Seconds, lightGbm.CpuSeconds, lightGbm.AllocatedBytes),
                () => MLNetTreeConverter.Convert(lightGbm.Model.Model.SubModel, lightGbm.Model.Model.Calibrator, train.Schema)),
        })
        {
            var probabilities = measured.Model.Transform(testView).GetColumn<float>("Probability").ToArray();
            Report(name, engine, BinaryMetrics.Auc(test.Labels.Span, probabilities), measured);
            var converted = convert();
            var convertedScores = new float[test.RowCount];
            converted.PredictProbability(test.Features.Span, convertedScores);
            var maxDiff = probabilities.Zip(convertedScores, (a, b) => Math.Abs(a - b)).Max();
            Console.WriteLine($"{name,-8} {engine + " -> ours",-24} AUC {BinaryMetrics.Auc(test.Labels.Span, convertedScores):F4}  max |p - ML.NET p| {maxDiff:E1}");
        }

        if (name != "binary")
        {
            return;
        }

        // Scoring speed on the binary example's model: a single row at a time, then batches.
        var f = test.Schema.Count;
        var rows = Enumerable.Range(0, test.RowCount).Select(r => test.GetRow(r).ToArray()).ToArray();
        var oursSingle = BestOf(5, 1_000_000, i => ours.Model.PredictProbability(rows[i % rows.Length]));
        var predictionEngine = context.Model.CreatePredictionEngine<Row, Prediction>(fastTree.Model, inputSchemaDefinition: Definition(f));
        var row = new Row();
        var prediction = new Prediction();
        var mlSingle = BestOf(5, 200_000, i =>
        {
            row.Features = rows[i % rows.Length];
            predictionEngine.Predict(row, ref prediction);
            return prediction.Probability;
        });
        Console.WriteLine($"single row: ours {oursSingle:F2} us, ML.NET FastTree PredictionEngine (one per thread, reused) {mlSingle:F2} us (best of 5)");

        const int BatchRows = 500_000;
        var batch = new float[BatchRows * f];
        for (var r = 0; r < BatchRows; r++)
        {
            rows[r % rows.Length].CopyTo(batch.AsSpan(r * f));
        }

        var destination = new float[BatchRows];
        var oursBatch = BestSeconds(5, () => ours.Model.PredictProbability(batch, destination));
        var batchView = View(context, Enumerable.Range(0, BatchRows).Select(r => rows[r % rows.Length]).ToArray(), f);
        var mlBatch = BestSeconds(3, () =>
        {
            var sum = 0f;
            foreach (var p in fastTree.Model.Transform(batchView).GetColumn<float>("Probability"))
            {
                sum += p;
            }

            GC.KeepAlive(sum);
        });
        Console.WriteLine($"batch of {BatchRows:N0}: ours {BatchRows / oursBatch / 1e6:F2} M rows/s, ML.NET FastTree Transform {BatchRows / mlBatch / 1e6:F2} M rows/s (best)");
    }

    /// <summary>
    /// ML.NET FastTree's scoring of the same-shaped model (100 trees, 31 leaves), for <c>compare --scoring</c>: a reused
    /// PredictionEngine on one row in cache and cycling over the test rows, and Transform over 500,000 rows.
    /// </summary>
    public static void MLNetScoring(Dataset train, Dataset test)
    {
        var context = new MLContext(seed: 1);
        var fastTree = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 100, NumberOfLeaves = 31, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = Threads, Seed = 1,
        }).Fit(View(context, train));
        var f = test.Schema.Count;
        var rows = Enumerable.Range(0, test.RowCount).Select(r => test.GetRow(r).ToArray()).ToArray();
        var predictionEngine = context.Model.CreatePredictionEngine<Row, Prediction>(fastTree, inputSchemaDefinition: Definition(f));
        var row = new Row();
        var prediction = new Prediction();
        var cycling = BestOf(5, 200_000, i =>
        {
            row.Features = rows[i % rows.Length];
            predictionEngine.Predict(row, ref prediction);
            return prediction.Probability;
        });
        var same = BestOf(5, 200_000, i =>
        {
            row.Features = rows[0];
            predictionEngine.Predict(row, ref prediction);
            return prediction.Probability;
        });
        Console.WriteLine($"ML.NET FastTree PredictionEngine (reused, one thread): one row in cache {same:F2} us, cycling over {rows.Length} test rows {cycling:F2} us (best of 5)");
        const int BatchRows = 500_000;
        var batchView = View(context, Enumerable.Range(0, BatchRows).Select(r => rows[r % rows.Length]).ToArray(), f);
        var mlBatch = BestSeconds(3, () =>
        {
            var sum = 0f;
            foreach (var p in fastTree.Transform(batchView).GetColumn<float>("Probability"))
            {
                sum += p;
            }

            GC.KeepAlive(sum);
        });
        Console.WriteLine($"ML.NET FastTree Transform, batch of {BatchRows:N0}: {BatchRows / mlBatch / 1e6:F2} M rows/s wall (best of 3)");
    }

    private static void Report<T>(string data, string engine, double auc, Measured<T> m) =>
        Console.WriteLine($"{data,-8} {engine,-24} AUC {auc:F4}  train {m.Seconds:F3} s wall, {m.CpuSeconds:F3} s CPU, {m.AllocatedBytes / 1e6:F0} MB allocated (best of 3, after warm-up)");

    private static Measured<T> Measure<T>(Func<T> fit)
    {
        var model = fit();
        double best = double.MaxValue, bestCpu = double.MaxValue;
        long allocated = long.MaxValue;
        for (var rep = 0; rep < 3; rep++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            model = fit();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return new(model, best, bestCpu, allocated);
    }

    private static double BestOf(int repeats, int calls, Func<int, float> score)
    {
        var best = double.MaxValue;
        for (var rep = 0; rep < repeats; rep++)
        {
            var sink = 0f;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                sink += score(i);
            }

            best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1000 / calls);
            GC.KeepAlive(sink);
        }

        return best;
    }

    private static double BestSeconds(int repeats, Action run)
    {
        run();
        var best = double.MaxValue;
        for (var rep = 0; rep < repeats; rep++)
        {
            var sw = Stopwatch.StartNew();
            run();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static IDataView View(MLContext context, Dataset data)
    {
        var labels = data.Labels.Span;
        var rows = new Row[data.RowCount];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new Row { Label = labels[r] > 0.5f, Features = data.GetRow(r).ToArray() };
        }

        return context.Data.LoadFromEnumerable(rows, Definition(data.Schema.Count));
    }

    private static IDataView View(MLContext context, float[][] features, int f) =>
        context.Data.LoadFromEnumerable(features.Select(x => new Row { Features = x }), Definition(f));

    private static SchemaDefinition Definition(int f)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, f);
        return definition;
    }

    private sealed record Measured<T>(T Model, double Seconds, double CpuSeconds, long AllocatedBytes);

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }
}
