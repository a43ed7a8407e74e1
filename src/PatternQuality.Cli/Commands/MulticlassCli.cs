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
/// The multiclass side of <c>pq train</c> (<c>--objective multiclass</c>) and of every command that loads a version:
/// class-name labels through the library's CSV loader, <see cref="QualityTrainer.TrainMulticlassAsync(CsvLoadResult, CsvLoadResult?, IProgress{TrainingProgress}?, CancellationToken)"/>
/// and the log-loss gate; a stored multiclass version is recognised by its file, so evaluate and predict need no flag.
/// Reading data files for a multiclass version is <see cref="MulticlassRows"/>; its metrics output, <see cref="MulticlassMetricsOutput"/>.
/// </summary>
internal static class MulticlassCli
{
    public const string ClassColumn = "class";
    public const string ConfidenceColumn = "confidence";

    /// <summary><c>pq train --objective multiclass</c> after the common flags are read: train, propose, print, warn.</summary>
    public static async Task<int> TrainAndReportAsync(
        TextWriter stdout, TextWriter stderr, QualityTrainer trainer, ModelVersionManager manager, DataArguments data, ParseResult result, string? testPath, bool force, bool asJson, CancellationToken cancellationToken)
    {
        var options = trainer.Options;
        var mcSplit = testPath is not null ? "file" : TrainingInput.SplitName(options.Split);
        var properties = new Dictionary<string, string> { ["pq.data"] = result.GetValue(data.Data)!, ["pq.split"] = mcSplit };
        var (mc, mcOutcome) = await CliProgress.RunAsync(stderr, asJson, "training", progress =>
            TrainAsync(trainer, manager, data, result, testPath, properties, force, new TrainingInput.Progress(p => progress.Report(p.Fraction)), cancellationToken)).ConfigureAwait(false);
        mcSplit = testPath is not null ? "file" : TrainingInput.SplitName(mc.Split);
        if (asJson)
        {
            JsonOutput.Write(stdout, TrainJson(mc, mcOutcome, mcSplit));
        }
        else
        {
            WriteTrainHuman(stdout, mc, mcOutcome, mcSplit);
        }

        foreach (var warning in mc.Warnings)
        {
            stderr.WriteLine("warning: " + warning);
        }

        return 0;
    }

    private static async Task<(MulticlassTrainingResult Result, ModelProposalResult Outcome)> TrainAsync(
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

    private static JsonObject TrainJson(MulticlassTrainingResult trained, ModelProposalResult outcome, string split) => new()
    {
        ["version"] = outcome.Version.Version,
        ["promoted"] = outcome.Promoted,
        ["champion"] = outcome.PreviousActiveVersion,
        ["objective"] = "multiclass",
        ["classes"] = new JsonArray([.. trained.Model.ClassNames.Select(n => (JsonNode)n)]),
        ["rows"] = new JsonObject { ["train"] = trained.TrainRows, ["test"] = trained.TestRows },
        ["train_seconds"] = Math.Round(trained.TotalTime.TotalSeconds, 3),
        ["calibration"] = (trained.Calibration?.Calibrator.Method ?? Calibration.MulticlassCalibrationMethod.None).ToString().ToLowerInvariant(),
        ["metrics"] = MulticlassMetricsOutput.MetricsJson(trained.Metrics),
        ["uncalibrated_metrics"] = MulticlassMetricsOutput.MetricsJson(trained.UncalibratedMetrics),
        ["per_class"] = MulticlassMetricsOutput.PerClassJson(trained.Model.ClassNames, trained.PerClass),
        ["confusion"] = new JsonArray([.. trained.Confusion.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))]),
        ["split"] = split,
        ["decision"] = outcome.Decision.Reason,
    };

    private static void WriteTrainHuman(TextWriter stdout, MulticlassTrainingResult trained, ModelProposalResult outcome, string split)
    {
        var console = HumanOutput.Create(stdout);
        var calibration = (trained.Calibration?.Calibrator.Method ?? Calibration.MulticlassCalibrationMethod.None).ToString().ToLowerInvariant();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained a {trained.Model.ClassCount}-class {trained.Model.Info.Trainer} ({string.Join(", ", trained.Model.ClassNames)}) on {trained.TrainRows:N0} rows in {trained.TotalTime.TotalSeconds:0.0} s; {split} holdout of {trained.TestRows:N0} rows; calibration {calibration}."));
        MulticlassMetricsOutput.WriteHuman(console, trained.Metrics, trained.Model.ClassNames, trained.PerClass);
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
}
