using System.Diagnostics;
using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Training;
using PatternQuality.Trees;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Our side of the MovieLens three-class comparison (docs/multiclass.md). Run after the anchors, on the file they wrote:
/// <code>
/// /usr/bin/python3 benchmarks/compare/movielens_multiclass.py /tmp/mc &amp;&amp; \
///   dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- multiclass /tmp/mc
/// </code>
/// </summary>
internal static class MulticlassComparison
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: multiclass OUT_DIR (the folder movielens_multiclass.py wrote movielens_multiclass.csv to)");
            return 2;
        }

        var (train, test) = Load(Path.Combine(args[0], "movielens_multiclass.csv"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows: train {train.RowCount}, test {test.RowCount}, features {train.Schema.Count}; {Environment.ProcessorCount} cores"));
        var options = new GradientBoostingOptions { NumberOfTrees = 100, NumberOfLeaves = 31, LearningRate = 0.1, Seed = 1 };
        var calibrate = !args.Contains("--no-calibration");
        foreach (var setting in args.Skip(1).Where(a => a != "--no-calibration"))
        {
            // name=value overrides for sweeps, e.g. L2Regularization=1 MinimumChildWeight=1
            var parts = setting.Split('=', 2);
            var property = typeof(GradientBoostingOptions).GetProperty(parts[0]) ?? throw new ArgumentException($"unknown option {parts[0]}");
            property.SetValue(options, Convert.ChangeType(parts[1], property.PropertyType, CultureInfo.InvariantCulture));
        }

        Console.WriteLine($"options: {string.Join(", ", options.Describe().Select(p => $"{p.Key}={p.Value}"))}");
        var learner = new GradientBoostingLearner(options);

        var watch = Stopwatch.StartNew();
        var model = learner.FitMulticlass(train);
        var trainSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var calibration = calibrate
            ? MulticlassCalibrationFitter.FitOutOfFold(learner, train, MulticlassCalibrationMethod.Auto, folds: 5, seed: 1)
            : new MulticlassCalibrationResult(MulticlassCalibrator.Identity(model.ClassCount), new Dictionary<MulticlassCalibrationMethod, double>());
        var calibrateSeconds = watch.Elapsed.TotalSeconds;

        var k = model.ClassCount;
        var raw = new double[k];
        var uncalibrated = new float[test.RowCount * k];
        var calibrated = new float[test.RowCount * k];
        for (var i = 0; i < test.RowCount; i++)
        {
            var x = test.GetRow(i);
            model.PredictClassProbabilities(x, uncalibrated.AsSpan(i * k, k));
            model.PredictRaw(x, raw);
            calibration.Calibrator.Calibrate(raw, calibrated.AsSpan(i * k, k));
        }

        var labels = test.Labels.Span;
        Console.WriteLine("| model | log loss | accuracy | macro-F1 | train s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Row("PatternQuality GBDT softmax (100 rounds, 31 leaves), uncalibrated", labels, uncalibrated, k, trainSeconds);
        Row($"PatternQuality GBDT + {calibration.Calibrator.Method} scaling (5-fold out-of-fold)", labels, calibrated, k, trainSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"out-of-fold calibration: {calibrateSeconds:0.0} s; cross-fitted log loss of each candidate: {string.Join(", ", calibration.Candidates.Select(c => $"{c.Key} {c.Value:0.0000}"))}"));
        Console.WriteLine($"scales [{string.Join(", ", calibration.Calibrator.Scales.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))}], offsets [{string.Join(", ", calibration.Calibrator.Offsets.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))}]");
        return 0;
    }

    /// <summary>
    /// The same file through the library pipeline a <c>pq train --objective multiclass</c> user gets: CSV column inference,
    /// the last 20% of the rows held out (file order), out-of-fold calibration chosen by <c>Auto</c>, the trainer's defaults.
    /// </summary>
    public static async Task<int> RunPipelineAsync(string[] args)
    {
        var path = File.Exists(args[0]) ? args[0] : Path.Combine(args[0], "movielens_multiclass.csv");
        var load = new CsvLoadOptions { LabelColumn = "label", Multiclass = true };
        load.Drop.Add("test");
        var data = CsvDatasetLoader.Load(path, load);
        // The file's test column marks the held-out rows (written last). Split tells the trainer how the rows relate:
        // FileOrder (the default, MovieLens: later rows are later in time) or Random (the other tasks).
        var isTest = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.EndsWith(",1", StringComparison.Ordinal)).ToArray();
        var trainRows = Enumerable.Range(0, isTest.Length).Where(i => !isTest[i]).ToArray();
        var testRows = Enumerable.Range(0, isTest.Length).Where(i => isTest[i]).ToArray();
        var options = new QualityTrainerOptions { Split = SplitStrategy.FileOrder };
        foreach (var setting in args.Skip(1))
        {
            // QualityTrainerOptions first (MulticlassValidationFraction=0: the old behaviour), then GradientBoostingOptions.
            var parts = setting.Split('=', 2);
            object target = options;
            var property = typeof(QualityTrainerOptions).GetProperty(parts[0]);
            if (property is null)
            {
                target = options.GradientBoosting;
                property = typeof(GradientBoostingOptions).GetProperty(parts[0]) ?? throw new ArgumentException($"unknown option {parts[0]}");
            }

            property.SetValue(target, property.PropertyType.IsEnum
                ? Enum.Parse(property.PropertyType, parts[1])
                : Convert.ChangeType(parts[1], property.PropertyType, CultureInfo.InvariantCulture));
        }

        var watch = Stopwatch.StartNew();
        var result = await new QualityTrainer(options).TrainMulticlassAsync(data.Dataset.Select(trainRows), data.ClassNames!, data.Dataset.Select(testRows));
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline ({options.Split}): train {result.TrainRows}, holdout {result.TestRows}; fit {result.TrainTime.TotalSeconds:0.00} s, total {seconds:0.00} s; {result.Model.Predictor.TreeCount} trees"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| uncalibrated | {result.UncalibratedMetrics[MetricNames.LogLoss]:0.0000} | {result.UncalibratedMetrics[MetricNames.Accuracy]:0.0000} | {result.UncalibratedMetrics[MetricNames.MacroF1]:0.0000} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| calibrated ({result.Model.Calibrator.Method}) | {result.Metrics[MetricNames.LogLoss]:0.0000} | {result.Metrics[MetricNames.Accuracy]:0.0000} | {result.Metrics[MetricNames.MacroF1]:0.0000} |"));
        foreach (var w in result.Warnings)
        {
            Console.WriteLine($"note: {w}");
        }

        if (result.Calibration is { } c)
        {
            Console.WriteLine($"out-of-fold log loss: {string.Join(", ", c.Candidates.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.0000}")))}");
        }

        return 0;
    }

    private static void Row(string name, ReadOnlySpan<float> labels, float[] p, int k, double seconds)
        => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {MulticlassMetrics.LogLoss(labels, p, k):0.0000} | {MulticlassMetrics.Accuracy(labels, p, k):0.0000} | {MulticlassMetrics.MacroF1(labels, p, k):0.0000} | {seconds:0.00} |"));

    private static (Dataset Train, Dataset Test) Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var label = Array.IndexOf(header, "label");
        var split = Array.IndexOf(header, "test");
        var columns = Enumerable.Range(0, header.Length).Where(i => i != label && i != split).ToArray();
        var schema = new FeatureSchema(columns.Select(i => new FeatureDefinition(header[i], FeatureKind.Numeric)));
        var f = columns.Length;
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        (float[] X, float[] Y) Build(IEnumerable<string[]> part)
        {
            var list = part.ToList();
            var x = new float[list.Count * f];
            var y = new float[list.Count];
            for (var r = 0; r < list.Count; r++)
            {
                y[r] = float.Parse(list[r][label], CultureInfo.InvariantCulture);
                for (var j = 0; j < f; j++)
                {
                    var v = list[r][columns[j]];
                    x[(r * f) + j] = v.Length == 0 ? float.NaN : float.Parse(v, CultureInfo.InvariantCulture);
                }
            }

            return (x, y);
        }

        var (xtr, ytr) = Build(rows.Where(r => r[split] == "0"));
        var (xte, yte) = Build(rows.Where(r => r[split] == "1"));
        return (new Dataset(schema, xtr, ytr), new Dataset(schema, xte, yte));
    }
}
