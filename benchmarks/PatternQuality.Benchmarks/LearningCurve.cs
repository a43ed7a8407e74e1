using System.Diagnostics;
using System.Globalization;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Training;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// What corpus pre-training buys (issue 5): pre-train on one population of the coupon survey, fine-tune on n rows of
/// another, and compare holdout AUC and log loss on that other population with training on the n rows alone, with the
/// pre-trained model alone, and with pooling the corpus and the n rows into one training set.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- learning-curve [--seeds 5] [--sizes 50,100,200,500,1000] [--scenarios age,coupon]</c>.</remarks>
internal static class LearningCurve
{
    private const int TestRows = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seeds = int.Parse(Arg(args, "--seeds", "5"), CultureInfo.InvariantCulture);
        var sizes = Arg(args, "--sizes", "50,100,200,500,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var scenarios = Arg(args, "--scenarios", "age,coupon").Split(',');
        var corpusWeight = double.Parse(Arg(args, "--corpus-weight", "0"), CultureInfo.InvariantCulture);
        var noise = double.Parse(Arg(args, "--corpus-label-noise", "0"), CultureInfo.InvariantCulture);
        var loaded = BenchData.LoadCouponCsv();
        var age = loaded.Table.IndexOf("age");
        var coupon = loaded.Table.IndexOf("coupon");
        Console.WriteLine($"# coupon data: {loaded.Dataset.RowCount} rows, {loaded.Dataset.Schema.Count} features; seeds {seeds}; corpus weight {corpusWeight}; corpus label noise {noise}");
        foreach (var scenario in scenarios)
        {
            Func<int, bool> isTarget = scenario switch
            {
                "age" => r => loaded.Table.GetValues(r)[age] is "below21" or "21",
                "coupon" => r => loaded.Table.GetValues(r)[coupon].StartsWith("Restaurant", StringComparison.Ordinal),
                _ => throw new ArgumentException($"Unknown scenario '{scenario}'; known: age, coupon."),
            };
            var all = Enumerable.Range(0, loaded.Dataset.RowCount).ToArray();
            var corpus = loaded.Dataset.Select(all.Where(r => !isTarget(r)).ToArray());
            if (noise > 0)
            {
                corpus = FlipLabels(corpus, noise, 12345);
            }

            var target = all.Where(isTarget).ToArray();
            Console.WriteLine($"## scenario {scenario}: corpus {corpus.RowCount} rows, target population {target.Length} rows ({TestRows} held out per seed)");
            var sw = Stopwatch.StartNew();
            var trainer = new QualityTrainer(new QualityTrainerOptions { Pretraining = { CorpusWeight = corpusWeight } });
            var pretrained = await trainer.PretrainAsync(corpus);
            Console.WriteLine($"pre-trained {pretrained.TreeCount} trees in {sw.Elapsed.TotalSeconds:F1} s");
            var results = new Dictionary<(string Arm, int N), List<(double Auc, double LogLoss)>>();
            for (var seed = 0; seed < seeds; seed++)
            {
                var random = new Random(1000 + seed);
                var shuffled = target.OrderBy(_ => random.Next()).ToArray();
                var test = loaded.Dataset.Select(shuffled[..TestRows]);
                var pool = shuffled[TestRows..];
                Add(results, "pre-trained only", 0, Evaluate(pretrained, test));
                foreach (var n in sizes)
                {
                    var sample = loaded.Dataset.Select(pool[..n]);
                    var small = await trainer.TrainAsync(sample, test);
                    Add(results, "small set only", n, (small.Report.Metrics[MetricNames.Auc], small.Report.Metrics[MetricNames.LogLoss]));
                    var tuned = await trainer.FineTuneAsync(pretrained, sample, test, corpus);
                    Add(results, "pre-trained + fine-tuned", n, (tuned.Report.Metrics[MetricNames.Auc], tuned.Report.Metrics[MetricNames.LogLoss]));
                    var pooled = await trainer.TrainAsync(Concat(corpus, sample), test);
                    Add(results, "corpus + small set pooled", n, (pooled.Report.Metrics[MetricNames.Auc], pooled.Report.Metrics[MetricNames.LogLoss]));
                }

                Console.WriteLine($"seed {seed} done at {sw.Elapsed.TotalSeconds:F0} s");
            }

            Console.WriteLine();
            Console.WriteLine($"| arm ({scenario}) | n | AUC mean ± sd | log loss mean ± sd |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var ((arm, n), list) in results.OrderBy(p => p.Key.N).ThenBy(p => p.Key.Arm, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {arm} | {(n == 0 ? "-" : n.ToString(CultureInfo.InvariantCulture))} | {Mean(list, x => x.Auc):F4} ± {Sd(list, x => x.Auc):F4} | {Mean(list, x => x.LogLoss):F4} ± {Sd(list, x => x.LogLoss):F4} |"));
            }

            Console.WriteLine();
        }

        return 0;
    }

    private static (double, double) Evaluate(TreeEnsembleModel model, Dataset test)
    {
        var p = new float[test.RowCount];
        model.PredictProbability(test.Features.Span, p);
        var e = BinaryEvaluation.Compute(test.Labels.Span, p).ToDictionary();
        return (e[MetricNames.Auc], e[MetricNames.LogLoss]);
    }

    private static Dataset Concat(Dataset a, Dataset b)
    {
        var features = a.Features.ToArray().Concat(b.Features.ToArray()).ToArray();
        var labels = a.Labels.ToArray().Concat(b.Labels.ToArray()).ToArray();
        return new Dataset(a.Schema, features, labels);
    }

    private static Dataset FlipLabels(Dataset d, double rate, int seed)
    {
        var random = new Random(seed);
        var labels = d.Labels.ToArray().Select(y => random.NextDouble() < rate ? 1f - y : y).ToArray();
        return new Dataset(d.Schema, d.Features.ToArray(), labels);
    }

    private static void Add(Dictionary<(string, int), List<(double, double)>> results, string arm, int n, (double, double) value)
    {
        if (!results.TryGetValue((arm, n), out var list))
        {
            results[(arm, n)] = list = [];
        }

        list.Add(value);
    }

    private static double Mean<T>(List<T> list, Func<T, double> f) => list.Average(f);

    private static double Sd<T>(List<T> list, Func<T, double> f)
    {
        if (list.Count < 2)
        {
            return 0;
        }

        var m = list.Average(f);
        return Math.Sqrt(list.Sum(x => (f(x) - m) * (f(x) - m)) / (list.Count - 1));
    }

    internal static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
