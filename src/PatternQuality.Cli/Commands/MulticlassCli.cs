using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// The multiclass side of <c>pq train</c> (<c>--objective multiclass</c>), <c>pq evaluate</c> and <c>pq predict</c>:
/// class-name labels through the library's CSV loader, <see cref="QualityTrainer.TrainMulticlassAsync(CsvLoadResult, CsvLoadResult?, IProgress{TrainingProgress}?, CancellationToken)"/>
/// and the log-loss gate; a stored multiclass version is recognised by its file, so evaluate and predict need no flag.
/// </summary>
internal static class MulticlassCli
{
    public const string ClassColumn = "class";
    public const string ConfidenceColumn = "confidence";

    public static async Task<(MulticlassTrainingResult Result, ModelProposalResult Outcome)> TrainAsync(
        QualityTrainer trainer, ModelVersionManager manager, DataArguments data, ParseResult result, string? testPath, IReadOnlyDictionary<string, string> properties, bool force, TrainingInput.Progress progress, CancellationToken cancellationToken)
    {
        if (data.IsSvmLight(result))
        {
            throw new ArgumentException("--objective multiclass reads class names from a CSV label column; SVMlight files are not supported.");
        }

        var path = result.GetValue(data.Data)!;
        var options = data.ToCsvOptions(result, requireLabel: true);
        options.Multiclass = true;
        var load = CsvDatasetLoader.Load(path, options, cancellationToken);
        CsvLoadResult? test = null;
        if (testPath is not null)
        {
            // The test file numbers the classes as the training file does.
            foreach (var name in load.ClassNames!)
            {
                options.ClassNames.Add(name);
            }

            test = CsvDatasetLoader.Load(testPath, options, load.Extractor, cancellationToken);
        }

        var trained = await trainer.TrainMulticlassAsync(load, test, progress, cancellationToken).ConfigureAwait(false);
        var request = trained.CreateSaveRequest();
        var merged = new Dictionary<string, string>(request.Properties, StringComparer.Ordinal);
        foreach (var (k, v) in properties)
        {
            merged[k] = v;
        }

        var outcome = await manager.ProposeAsync(trained, request with { Properties = merged }, force, cancellationToken).ConfigureAwait(false);
        return (trained, outcome);
    }

    public static JsonObject TrainJson(MulticlassTrainingResult trained, ModelProposalResult outcome, string split) => new()
    {
        ["version"] = outcome.Version.Version,
        ["promoted"] = outcome.Promoted,
        ["champion"] = outcome.PreviousActiveVersion,
        ["objective"] = "multiclass",
        ["classes"] = new JsonArray([.. trained.Model.ClassNames.Select(n => (JsonNode)n)]),
        ["rows"] = new JsonObject { ["train"] = trained.TrainRows, ["test"] = trained.TestRows },
        ["train_seconds"] = Math.Round(trained.TotalTime.TotalSeconds, 3),
        ["calibration"] = (trained.Calibration?.Calibrator.Method ?? Calibration.MulticlassCalibrationMethod.None).ToString().ToLowerInvariant(),
        ["metrics"] = MetricsJson(trained.Metrics),
        ["uncalibrated_metrics"] = MetricsJson(trained.UncalibratedMetrics),
        ["per_class"] = PerClassJson(trained.Model.ClassNames, trained.PerClass),
        ["confusion"] = new JsonArray([.. trained.Confusion.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))]),
        ["split"] = split,
        ["decision"] = outcome.Decision.Reason,
    };

    public static void WriteTrainHuman(TextWriter stdout, MulticlassTrainingResult trained, ModelProposalResult outcome, string split)
    {
        var console = HumanOutput.Create(stdout);
        var calibration = (trained.Calibration?.Calibrator.Method ?? Calibration.MulticlassCalibrationMethod.None).ToString().ToLowerInvariant();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained a {trained.Model.ClassCount}-class {trained.Model.Info.Trainer} ({string.Join(", ", trained.Model.ClassNames)}) on {trained.TrainRows:N0} rows in {trained.TotalTime.TotalSeconds:0.0} s; {split} holdout of {trained.TestRows:N0} rows; calibration {calibration}."));
        WriteMetricsHuman(console, trained.Metrics, trained.Model.ClassNames, trained.PerClass);
        var against = outcome.PreviousActiveVersion is { } champion ? $" (judged against {champion})" : string.Empty;
        console.WriteLine($"Stored version {outcome.Version.Version}: {(outcome.Promoted ? "promoted, now active" : "not promoted, kept as challenger")}{against}.");
        console.WriteLine(outcome.Decision.Reason);
    }

    /// <summary>The active (or named) version if it is a multiclass model, else null (the caller takes the binary path).</summary>
    public static async Task<(string Version, MulticlassQualityModel Model, ModelMetadata Metadata)?> TryLoadAsync(ModelVersionManager manager, string storeDirectory, string? version, CancellationToken cancellationToken)
    {
        var stored = version is null
            ? await manager.LoadActiveAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The model store '{storeDirectory}' has no active model version; train one with 'pq train' or name one with --version.")
            : await manager.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        bool multiclass;
        try
        {
            multiclass = MulticlassQualityModel.IsMulticlass(stored.Content.Span);
        }
        catch (Serialization.ModelFormatException ex)
        {
            throw new ModelStoreCorruptedException(stored.Location ?? $"model version '{stored.Metadata.Version}'", ex.Message, ex);
        }

        return multiclass ? (stored.Metadata.Version, MulticlassQualityModel.Load(stored), stored.Metadata) : null;
    }

    /// <summary>Maps a CSV file's rows through the model's saved columns (no label needed).</summary>
    public static (CsvTable Table, float[] Features) Map(DataArguments data, ParseResult result, string version, MulticlassQualityModel model, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        if (data.IsSvmLight(result) || model.Columns is null)
        {
            throw new PatternQualityException($"Multiclass version '{version}' scores CSV files with the columns it was trained on; '{path}' cannot be read that way.");
        }

        var options = data.ToCsvOptions(result);
        var table = CsvTable.Read(path, options.Delimiter, options.HasHeader, cancellationToken);
        var missing = model.GetMissingColumns(table.Header);
        if (missing.Count > 0)
        {
            throw new PatternQualityException($"The data file '{path}' lacks {missing.Count} column(s) multiclass version '{version}' reads: {string.Join(", ", missing)}.");
        }

        var features = ModelInput.Extract(table, model.CreateRowExtractor(), path, cancellationToken);
        return (table, features);
    }

    /// <summary>The input rows with one probability column per class (<c>p_NAME</c>), then the top class and its probability.</summary>
    public static string PredictCsv(CsvTable table, MulticlassQualityModel model, float[] probabilities)
    {
        var d = table.Delimiter;
        var k = model.ClassCount;
        var header = new List<string>(table.Header);
        string Fresh(string name) => header.Contains(name, StringComparer.Ordinal) ? "pq_" + name : name;
        var added = model.ClassNames.Select(n => Fresh("p_" + n)).Append(Fresh(ClassColumn)).Append(Fresh(ConfidenceColumn)).ToList();
        var sb = new StringBuilder();
        ScoredCsv.AppendRow(sb, [.. header, .. added], d).Append('\n');
        for (var i = 0; i < table.RowCount; i++)
        {
            var p = probabilities.AsSpan(i * k, k);
            var values = new List<string>(table.GetValues(i));
            var best = 0;
            for (var c = 0; c < k; c++)
            {
                values.Add(p[c].ToString("0.######", CultureInfo.InvariantCulture));
                best = p[c] > p[best] ? c : best;
            }

            values.Add(model.ClassNames[best]);
            values.Add(p[best].ToString("0.######", CultureInfo.InvariantCulture));
            ScoredCsv.AppendRow(sb, values, d).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Labelled rows for a multiclass version: the file's label column read with the model's class names.</summary>
    public static CsvLoadResult LoadLabelled(DataArguments data, ParseResult result, string version, MulticlassQualityModel model, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        if (data.IsSvmLight(result) || model.Columns is null)
        {
            throw new PatternQualityException($"Multiclass version '{version}' evaluates CSV files with the columns it was trained on; '{path}' cannot be read that way.");
        }

        var options = data.ToCsvOptions(result, requireLabel: true);
        options.Multiclass = true;
        foreach (var name in model.ClassNames)
        {
            options.ClassNames.Add(name);
        }

        var table = CsvTable.Read(path, options.Delimiter, options.HasHeader, cancellationToken);
        var missing = model.GetMissingColumns(table.Header);
        if (missing.Count > 0)
        {
            throw new PatternQualityException($"The data file '{path}' lacks {missing.Count} column(s) multiclass version '{version}' reads: {string.Join(", ", missing)}.");
        }

        return CsvDatasetLoader.Load(path, options, model.CreateRowExtractor(), cancellationToken);
    }

    /// <summary>Multiclass log loss, accuracy and macro-F1 of probabilities (class-major per row) against labels.</summary>
    public static Dictionary<string, double> Metrics(ReadOnlySpan<float> labels, float[] probabilities, int k) => new(StringComparer.Ordinal)
    {
        [MetricNames.LogLoss] = MulticlassMetrics.LogLoss(labels, probabilities, k),
        [MetricNames.Accuracy] = MulticlassMetrics.Accuracy(labels, probabilities, k),
        [MetricNames.MacroF1] = MulticlassMetrics.MacroF1(labels, probabilities, k),
    };

    /// <summary><c>pq evaluate</c> of a multiclass version: the file's label column read with the model's class names.</summary>
    public static int Evaluate(TextWriter stdout, DataArguments data, ParseResult result, string version, MulticlassQualityModel model, bool asJson, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        var load = LoadLabelled(data, result, version, model, cancellationToken);
        var k = model.ClassCount;
        var probabilities = new float[load.Dataset.RowCount * k];
        model.PredictProbabilities(load.Dataset.Features.Span, probabilities);
        var labels = load.Dataset.Labels.Span;
        var metrics = Metrics(labels, probabilities, k);
        var perClass = MulticlassMetrics.PerClass(labels, probabilities, k);
        if (asJson)
        {
            JsonOutput.Write(stdout, new JsonObject
            {
                ["version"] = version,
                ["rows"] = load.Dataset.RowCount,
                ["objective"] = "multiclass",
                ["metrics"] = MetricsJson(metrics),
                ["per_class"] = PerClassJson(model.ClassNames, perClass),
                ["confusion"] = new JsonArray([.. MulticlassMetrics.ConfusionCounts(labels, probabilities, k).Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))]),
            });
        }
        else
        {
            var console = HumanOutput.Create(stdout);
            console.WriteLine($"Multiclass version {version} on {path}: {load.Dataset.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows");
            WriteMetricsHuman(console, metrics, model.ClassNames, perClass);
        }

        return 0;
    }

    public static JsonObject MetricsJson(IReadOnlyDictionary<string, double> metrics) => new()
    {
        [MetricNames.LogLoss] = JsonOutput.Number(metrics[MetricNames.LogLoss]),
        [MetricNames.Accuracy] = JsonOutput.Number(metrics[MetricNames.Accuracy]),
        [MetricNames.MacroF1] = JsonOutput.Number(metrics[MetricNames.MacroF1]),
    };

    private static JsonObject PerClassJson(IReadOnlyList<string> names, IReadOnlyList<ClassMetrics> perClass)
    {
        var o = new JsonObject();
        foreach (var c in perClass)
        {
            o[names[c.Class]] = new JsonObject
            {
                [MetricNames.Precision] = JsonOutput.Number(c.Precision),
                [MetricNames.Recall] = JsonOutput.Number(c.Recall),
                [MetricNames.F1] = JsonOutput.Number(c.F1),
                ["support"] = c.Support,
            };
        }

        return o;
    }

    private static void WriteMetricsHuman(IAnsiConsole console, IReadOnlyDictionary<string, double> metrics, IReadOnlyList<string> names, IReadOnlyList<ClassMetrics> perClass)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        foreach (var key in new[] { MetricNames.LogLoss, MetricNames.Accuracy, MetricNames.MacroF1 })
        {
            table.AddRow(key, HumanOutput.Format(metrics[key]));
        }

        console.Write(table);
        var classes = new Table().AddColumn("class").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("f1").RightAligned()).AddColumn(new TableColumn("support").RightAligned());
        foreach (var c in perClass)
        {
            classes.AddRow(Markup.Escape(names[c.Class]), HumanOutput.Format(c.Precision), HumanOutput.Format(c.Recall), HumanOutput.Format(c.F1), c.Support.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(classes);
    }
}
