using System.Diagnostics;
using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Training;

namespace PatternQuality.Benchmarks;

/// <summary>
/// The PatternQuality side of the issue-4 calibration targets: test-split ECE (10 equal-width bins), Brier, log loss
/// and AUC of <see cref="QualityTrainer"/> (gbdt, 100 trees, 31 leaves) with each calibration method, on the coupon
/// 80/20 split of benchmarks/compare/calibration_sklearn.py and on LightGBM's binary.train/binary.test.
/// </summary>
/// <remarks>
/// Run: <c>/usr/bin/python3 benchmarks/compare/coupon_split_indices.py &gt; /tmp/coupon_test_rows.txt</c>, then
/// <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- calibration --coupon-test-rows /tmp/coupon_test_rows.txt</c>.
/// </remarks>
internal static class LearningCurveCalibration
{
    public static async Task<int> RunAsync(string[] args)
    {
        var resplits = int.Parse(LearningCurve.Arg(args, "--binary-resplits", "0"), CultureInfo.InvariantCulture);
        if (resplits > 0)
        {
            return await ResplitBinaryAsync(resplits);
        }

        var rowsFile = LearningCurve.Arg(args, "--coupon-test-rows", string.Empty);
        var splits = new List<(string Name, Dataset Train, Dataset Test)>();
        var coupon = BenchData.LoadCouponCsv().Dataset;
        if (rowsFile.Length > 0)
        {
            var testRows = File.ReadAllLines(rowsFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToHashSet();
            var all = Enumerable.Range(0, coupon.RowCount).ToArray();
            splits.Add(("coupon", coupon.Select(all.Where(r => !testRows.Contains(r)).ToArray()), coupon.Select(all.Where(testRows.Contains).ToArray())));
        }
        else
        {
            Console.WriteLine("# no --coupon-test-rows: coupon uses the trainer's own stratified split (seed 42), not sklearn's");
            var split = Validation.DataSplitter.StratifiedHoldout(coupon, 0.2, 42);
            splits.Add(("coupon", split.Train, split.Test));
        }

        splits.Add(("binary", BenchData.BinaryTrain(), BenchData.BinaryTest()));
        Console.WriteLine("| split | calibration | chosen | ECE | ECE noise floor | Brier | log loss | AUC | AUC change | seconds |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, train, test) in splits)
        {
            foreach (var method in new[] { CalibrationMethod.None, CalibrationMethod.Platt, CalibrationMethod.Isotonic, CalibrationMethod.Auto })
            {
                var sw = Stopwatch.StartNew();
                var trainer = new QualityTrainer(new QualityTrainerOptions { Calibration = method });
                var result = await trainer.TrainAsync(train, test);
                var m = result.Report.Metrics;
                var change = m[MetricNames.Auc] - result.Report.UncalibratedMetrics[MetricNames.Auc];
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name} | {method} | {result.Report.CalibrationMethod} | {m[MetricNames.Ece]:F4} | {NoiseFloor(result.TestScores.Span):F4} | {m[MetricNames.Brier]:F4} | {m[MetricNames.LogLoss]:F4} | {m[MetricNames.Auc]:F4} | {change:+0.0000;-0.0000;0.0000} | {sw.Elapsed.TotalSeconds:F1} |"));
            }
        }

        return 0;
    }

    /// <summary>
    /// binary.train and binary.test pooled (7,500 rows) and re-split at random into 7,000 training and 500 test rows,
    /// <paramref name="repeats"/> times: mean test ECE of no calibration against Auto, to see past one 500-row draw.
    /// </summary>
    private static async Task<int> ResplitBinaryAsync(int repeats)
    {
        var train = BenchData.BinaryTrain();
        var test = BenchData.BinaryTest();
        var all = new Dataset(train.Schema, [.. train.Features.ToArray(), .. test.Features.ToArray()], [.. train.Labels.ToArray(), .. test.Labels.ToArray()]);
        var ece = new Dictionary<CalibrationMethod, List<double>> { [CalibrationMethod.None] = [], [CalibrationMethod.Auto] = [] };
        var chosen = new List<CalibrationMethod>();
        for (var r = 0; r < repeats; r++)
        {
            var random = new Random(100 + r);
            var order = Enumerable.Range(0, all.RowCount).OrderBy(_ => random.Next()).ToArray();
            var tr = all.Select(order[500..]);
            var te = all.Select(order[..500]);
            foreach (var method in ece.Keys)
            {
                var result = await new QualityTrainer(new QualityTrainerOptions { Calibration = method }).TrainAsync(tr, te);
                ece[method].Add(result.Report.Metrics[MetricNames.Ece]);
                if (method == CalibrationMethod.Auto)
                {
                    chosen.Add(result.Report.CalibrationMethod);
                }
            }
        }

        foreach (var (method, list) in ece)
        {
            var mean = list.Average();
            var sd = Math.Sqrt(list.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, list.Count - 1));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"binary re-split x{repeats}: {method} mean ECE {mean:F4} ± {sd:F4}"));
        }

        Console.WriteLine("Auto chose: " + string.Join(", ", chosen.GroupBy(m => m).Select(g => $"{g.Key} x{g.Count()}")));
        return 0;
    }

    /// <summary>
    /// The mean ECE a perfectly calibrated model with these scores would show on a test set of this size: labels drawn
    /// from the scores themselves, 200 times. Test ECE below or near it is indistinguishable from perfect calibration.
    /// </summary>
    private static double NoiseFloor(ReadOnlySpan<float> scores)
    {
        var random = new Random(7);
        var labels = new float[scores.Length];
        var total = 0.0;
        const int Draws = 200;
        for (var d = 0; d < Draws; d++)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = random.NextDouble() < scores[i] ? 1f : 0f;
            }

            total += BinaryMetrics.ExpectedCalibrationError(labels, scores);
        }

        return total / Draws;
    }
}
