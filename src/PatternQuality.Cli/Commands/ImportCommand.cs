using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Interop;
using PatternQuality.Scoring;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq import</c>: reads a model trained elsewhere (XGBoost JSON or LightGBM text), maps its features to the data
/// file's columns, evaluates it on the data and stores it as a version (active when the store has no active version).
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new DataArguments();
        var store = new StoreArguments(withVersion: false);
        var xgboost = new Option<string?>("--xgboost") { Description = "An XGBoost JSON model (Booster.save_model(\"m.json\"))." };
        var lightgbm = new Option<string?>("--lightgbm") { Description = "A LightGBM text model (Booster.save_model(\"m.txt\"))." };
        var json = JsonOutput.CreateOption();
        var command = new Command("import", "Import an XGBoost or LightGBM model: the data file gives the column names and order and a holdout to evaluate on; the model is stored as a new version.");
        store.AddTo(command);
        command.Options.Add(xgboost);
        command.Options.Add(lightgbm);
        data.AddTo(command);
        command.Options.Add(json);
        command.Validators.Add(r =>
        {
            if ((r.GetResult(xgboost) is null) == (r.GetResult(lightgbm) is null))
            {
                r.AddError("Give exactly one of --xgboost FILE and --lightgbm FILE.");
            }
        });
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var options = data.ToCsvOptions(result);
            if (options.LabelColumn is null)
            {
                throw new ArgumentException("--label is required: the data file is the holdout the imported model is evaluated on.");
            }

            var storeDir = result.GetValue(store.Store)!;
            StoreArguments.EnsureWritable(storeDir);
            using var manager = store.Open(result, mustExist: false);
            var load = data.LoadRows(result, result.GetValue(data.Data)!, options, null, cancellationToken);
            var (path, source) = result.GetValue(xgboost) is { } x ? (x, "xgboost") : (result.GetValue(lightgbm)!, "lightgbm");
            TreeEnsembleModel predictor;
            await using (var file = File.OpenRead(path))
            {
                predictor = source == "xgboost"
                    ? XGBoostModelImporter.Import(file, load.Dataset.Schema, cancellationToken)
                    : LightGbmModelImporter.Import(file, load.Dataset.Schema, cancellationToken);
            }

            var holdout = load.Dataset;
            var scores = new float[holdout.RowCount];
            predictor.PredictProbability(holdout.Features.Span, scores);
            var metrics = BinaryEvaluation.Compute(holdout.Labels.Span, scores).ToDictionary();
            var trainer = source + "-import";
            var info = new ModelInfo(predictor.Schema, trainer) { Metrics = metrics, CreatedAt = DateTimeOffset.UtcNow };
            var history = load.Extractor.HistoryFeatures.Count > 0 ? load.Extractor.History.Clone() : null;
            var model = new QualityModel(predictor, IdentityCalibrator.Instance, info, history, load.Columns);
            var saved = await manager.SaveAsync(model.ToBytes(), new ModelSaveRequest
            {
                SchemaHash = predictor.Schema.Hash,
                Trainer = trainer,
                TrainerOptions = predictor.TrainingOptions,
                Metrics = metrics,
                Properties = new Dictionary<string, string> { ["pq.import"] = Path.GetFullPath(path), ["pq.data"] = result.GetValue(data.Data)! },
            }, cancellationToken).ConfigureAwait(false);
            var activated = await manager.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false) is null;
            if (activated)
            {
                await manager.ActivateAsync(saved.Version, $"imported from {source}; the store had no active version", cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject
                {
                    ["version"] = saved.Version,
                    ["active"] = activated,
                    ["source"] = source,
                    ["trees"] = predictor.TreeCount,
                    ["rows"] = holdout.RowCount,
                    ["metrics"] = JsonOutput.Metrics(metrics),
                });
            }
            else
            {
                var console = HumanOutput.Create(stdout);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {predictor.TreeCount} trees from {source} as version {saved.Version}{(activated ? ", now active" : "; promote it with pq promote")}. Holdout of {holdout.RowCount:N0} rows:"));
                HumanOutput.WriteMetrics(console, metrics);
            }

            return 0;
        }));
        return command;
    }
}
