using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Telemetry;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq serve</c>: the ready-made host, an ASP.NET Core minimal API over the same hosted lifecycle an embedding app
/// registers (<c>AddHostedLifecycle</c>), for rows with the model's input columns as in its training file.
/// </summary>
/// <remarks>
/// A thin shell: scoring is <see cref="PatternScorer{TPattern}"/>, feedback is <see cref="FeedbackIngestion{TPattern}"/>
/// (acknowledged once durable), learning, following, retrains and health are the hosted lifecycle's. The store must hold
/// an active version trained on CSV rows (<c>pq train</c>), whose column mapping defines the rows the service reads, or
/// the command names the columns with a sample file (<c>--data</c>): then <c>/score</c> answers 503 and <c>/feedback</c>
/// takes feedback until the lifecycle has trained the first model from it. <c>GET /metrics</c> exports the
/// <see cref="PatternQualityTelemetry.MeterName"/> meter as Prometheus text.
/// </remarks>
internal static class ServeCommand
{
    /// <summary>The store <c>pq serve</c> uses without <c>--store</c>.</summary>
    public const string DefaultStore = "sqlite:patternquality.db";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        // The embedded default: one SQLite file in the current directory holds the models and the feedback.
        var store = new StoreArguments(withVersion: false, defaultLocation: DefaultStore);
        var urls = new Option<string>("--urls") { Description = "Where to listen (semicolon-separated URLs).", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var cron = new Option<string?>("--retrain-cron") { Description = "A cron expression (five fields, UTC) for gated full retrains, for example \"0 3 * * *\"." };
        var minimumFeedback = new Option<int?>("--min-feedback") { Description = "With no model yet: train the first one once this many feedback records exist (default 200; 10 to 100,000,000)." };

        // With no model yet, a sample file in the training file's format names the rows' columns (and their kinds and
        // categories), read with the same flags as pq train; once a model exists its own column mapping rules.
        var sample = new DataArguments();
        sample.Data.Required = false;
        sample.Data.Description = "With no model in the store yet: a CSV file in the training file's format whose columns (kinds, categories) define the rows /score and /feedback read. Ignored once the store has a model.";
        var command = new Command("serve", "Serve a store over HTTP: POST /score, POST /feedback, POST /retrain, GET /status, GET /health, GET /metrics; learns from feedback and retrains through the gate.");
        store.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(cron);
        command.Options.Add(minimumFeedback);
        sample.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var path = result.GetValue(sample.Data);
            var rows = path is null ? null : EmptyStoreRows.FromSample(path, sample.ToCsvOptions(result), cancellationToken);

            var settings = new ServeSettings(result.GetValue(store.Store)!, result.GetValue(urls)!)
            {
                RetrainCron = result.GetValue(cron),
                MinimumFeedback = result.GetValue(minimumFeedback),
                EmptyStore = rows,
            };
            await using var app = await BuildAsync(settings, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            stdout.WriteLine($"Serving {settings.Store} on {string.Join(", ", app.Urls)}; Ctrl+C stops.");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Builds the service on a store (not started).</summary>
    /// <param name="directory">The store location: a directory, or <c>sqlite:PATH</c>.</param>
    /// <param name="urls">Where to listen.</param>
    /// <param name="retrainCron">The retrain schedule, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels loading the active version.</param>
    /// <exception cref="InvalidOperationException">The store has no active version, or it was not trained on CSV rows.</exception>
    internal static Task<WebApplication> BuildAsync(string directory, string urls, string? retrainCron, CancellationToken cancellationToken)
        => BuildAsync(new ServeSettings(directory, urls) { RetrainCron = retrainCron }, cancellationToken);

    /// <summary>Builds the service on a store (not started).</summary>
    /// <exception cref="InvalidOperationException">The store has no active version and no extractor for an empty store was given, or the active version was not trained on CSV rows.</exception>
    internal static async Task<WebApplication> BuildAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        var directory = settings.Store;
        // A store that does not exist yet is created only when a sample names the rows, so a mistyped path still fails.
        var store = StoreArguments.OpenStore(directory, mustExist: settings.EmptyStore is null);
        FeatureExtractor<Row> extractor;
        IReadOnlyList<RowColumn> columns;
        using (var versions = new ModelVersionManager(store))
        {
            // The rows' columns come from the active model, as in pq predict (a model built in code has none and is
            // refused here); with no model yet, from the sample file the command was given.
            var stored = await versions.LoadActiveAsync(cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                var model = QualityModel.Load(stored);
                extractor = model.CreateRowExtractor();
                columns = model.Columns!;
            }
            else
            {
                var empty = settings.EmptyStore ?? throw new InvalidOperationException(
                    $"The store '{directory}' has no active version and pq serve does not know the rows' columns yet: train one first (pq train --store {directory} --data ...), or name them with a sample file (pq serve --store {directory} --data sample.csv --label ...) to train the first model from feedback.");
                (extractor, columns) = (empty.Extractor, empty.Columns);
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings.Time is { } time)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddSingleton(new ServedColumns(columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToArray()));
        builder.Services.AddPatternQuality<Row>()
            .UseFeatureExtractor(extractor)
            .UseModelStore(store)

            // No feedback store is registered: the hosted lifecycle uses the model store's own (the pq_feedback table of
            // the SQLite file, or the fsync'd feedback.log in the store directory), so /feedback is durable either way.
            .UseIncrementalLearning()
            .AddHostedLifecycle(o =>
            {
                o.RetrainSchedule = settings.RetrainCron;
                o.MinimumFeedbackForFirstTraining = settings.MinimumFeedback ?? o.MinimumFeedbackForFirstTraining;
            });
        builder.Services.AddHealthChecks();

        // GET /metrics: the library's meter (score count and latency, served version, updates, trainings, gate
        // decisions, feedback lag) as Prometheus text.
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(PatternQualityTelemetry.MeterName).AddPrometheusExporter());
        var app = builder.Build();
        app.MapPost("/score", ScoreAsync);
        app.MapPost("/feedback", FeedbackAsync);
        app.MapGet("/status", StatusAsync);
        app.MapPost("/retrain", RetrainAsync);
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static async Task<IResult> ScoreAsync(
        HttpRequest request, PatternScorer<Row> scorer, QualityModelHolder holder, PatternQualityHostedService<Row> lifecycle, ServedColumns columns, IFeedbackStore<Row> feedback, IOptions<PatternQualityHostingOptions> options, CancellationToken cancellationToken)
    {
        if (holder.Current is not QualityModel model)
        {
            // Not the default score: a sidecar's client should know it is not getting a model's judgement yet.
            var held = await feedback.CountAsync(cancellationToken).ConfigureAwait(false);
            return Error(StatusCodes.Status503ServiceUnavailable, string.Create(
                CultureInfo.InvariantCulture,
                $"no model yet: the first one is trained once {options.Value.MinimumFeedbackForFirstTraining} feedback records exist ({held} so far); POST /feedback"));
        }

        var body = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (!TryRows(body?["rows"], "rows", columns, out var rows, out var error))
        {
            return Error(StatusCodes.Status400BadRequest, error);
        }

        var scores = scorer.Score(rows);
        return Results.Json(new JsonObject
        {
            ["version"] = lifecycle.Learner?.BaseVersion ?? model.Info.Version,
            ["scores"] = new JsonArray(scores.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        });
    }

    private static async Task<IResult> FeedbackAsync(HttpRequest request, FeedbackIngestion<Row> ingestion, ServedColumns columns, TimeProvider time, CancellationToken cancellationToken)
    {
        // Taken with or without a model: before the first one exists, feedback is what it is trained from.
        var body = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body?["records"] is not JsonArray items)
        {
            return Error(StatusCodes.Status400BadRequest, "the body must be {\"records\":[{\"id\":\"...\",\"row\":{...},\"approved\":true},...]}");
        }

        var records = new List<FeedbackRecord<Row>>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var id = item?["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
            if (id is null || item?["approved"] is not JsonValue approvedValue || !approvedValue.TryGetValue<bool>(out var approved))
            {
                return Error(StatusCodes.Status400BadRequest, $"records[{i}] needs a non-empty \"id\" and a boolean \"approved\"");
            }

            if (!TryRows(new JsonArray(item["row"]?.DeepClone()), $"records[{i}].row", columns, out var row, out var error))
            {
                return Error(StatusCodes.Status400BadRequest, error.Replace($"records[{i}].row[0]", $"records[{i}].row", StringComparison.Ordinal));
            }

            var at = item["timestamp"] is JsonValue t && t.TryGetValue<DateTimeOffset>(out var stamp) ? stamp : time.GetUtcNow();
            records.Add(new FeedbackRecord<Row>(id, 0, row[0], approved ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, at));
        }

        // 202 only once the records are on disk (fsync'd); the learner picks them up from there.
        var result = await ingestion.SubmitAsync(records, cancellationToken).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["accepted"] = result.Accepted.Count, ["duplicates"] = result.Duplicates }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> StatusAsync(QualityModelHolder holder, PatternQualityHostedService<Row> lifecycle, IFeedbackStore<Row> feedback, ModelVersionManager versions, CancellationToken cancellationToken)
    {
        var learner = lifecycle.Learner;
        var version = learner?.BaseVersion ?? holder.Current?.Info.Version;
        string? parent = null;
        if (version is not null)
        {
            parent = (await versions.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version == version)?.ParentVersion;
        }

        var prequential = learner?.GetPrequentialMetrics();
        // Pending: held records the served model has not learned, those after the learner's watermark (the first model
        // or a retrain learned the ones before it, without the learner counting them as consumed).
        long pending;
        if (learner is null)
        {
            pending = await feedback.CountAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            pending = 0;
            await foreach (var _ in feedback.ReadAsync(learner.Watermark, cancellationToken).ConfigureAwait(false))
            {
                pending++;
            }
        }

        return Results.Json(new JsonObject
        {
            ["version"] = version,
            ["parent"] = parent,
            ["consumed"] = learner?.ConsumedCount ?? 0,
            ["pending"] = pending,
            ["updates"] = learner?.UpdateCount ?? 0,
            ["prequential"] = new JsonObject { ["auc"] = Finite(prequential?.Auc), ["logloss"] = Finite(prequential?.LogLoss) },
        });
    }

    // A gated full retrain now, the same path as the schedule's; 409 while another one runs (here or in another process).
    private static async Task<IResult> RetrainAsync(PatternQualityHostedService<Row> lifecycle, CancellationToken cancellationToken)
    {
        ModelProposalResult? proposal;
        try
        {
            proposal = await lifecycle.RetrainAsync("POST /retrain", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // No feedback yet, or one outcome only: nothing to train on (the health check reports the failure too).
            return Error(StatusCodes.Status409Conflict, ex.Message);
        }

        return proposal is null
            ? Error(StatusCodes.Status409Conflict, "a training is already running, in this process or in another one on the store")
            : Results.Json(new JsonObject
            {
                ["version"] = proposal.Version.Version,
                ["promoted"] = proposal.Promoted,
                ["champion"] = proposal.PreviousActiveVersion,
                ["decision"] = proposal.Decision.Reason,
            });
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new JsonObject { ["status"] = entry.Status.ToString(), ["description"] = entry.Description };
        }

        return context.Response.WriteAsync(new JsonObject { ["status"] = report.Status.ToString(), ["checks"] = checks }.ToJsonString(), context.RequestAborted);
    }

    private static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Rows as the model reads them: every value as its text (numbers exactly as written), every model column present.
    private static bool TryRows(JsonNode? node, string path, ServedColumns columns, out Row[] rows, out string error)
    {
        rows = [];
        if (node is not JsonArray array)
        {
            error = $"\"{path}\" must be an array of objects, one per row, keyed by the model's input columns";
            return false;
        }

        rows = new Row[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o)
            {
                error = $"{path}[{i}] is not an object";
                return false;
            }

            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (name, value) in o)
            {
                row[name] = value switch
                {
                    null => null,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
                    JsonValue v => v.ToJsonString(),
                    _ => value.ToJsonString(),
                };
            }

            var missing = columns.Names.Where(n => !row.ContainsKey(n)).ToArray();
            if (missing.Length > 0)
            {
                error = $"{path}[{i}] lacks the model's input column{(missing.Length == 1 ? string.Empty : "s")} {string.Join(", ", missing.Select(m => "'" + m + "'"))}";
                return false;
            }

            rows[i] = row;
        }

        error = string.Empty;
        return true;
    }

    private static JsonNode? Finite(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static IResult Error(int status, string message) => Results.Json(new JsonObject { ["error"] = message }, statusCode: status);

    /// <summary>What <see cref="BuildAsync(ServeSettings, CancellationToken)"/> serves.</summary>
    /// <param name="Store">The store directory.</param>
    /// <param name="Urls">Where to listen.</param>
    internal sealed record ServeSettings(string Store, string Urls)
    {
        /// <summary>Gets the cron expression of scheduled retrains, or null.</summary>
        public string? RetrainCron { get; init; }

        /// <summary>Gets how many feedback records the first training waits for, or null for the lifecycle's default.</summary>
        public int? MinimumFeedback { get; init; }

        /// <summary>Gets the rows to serve while the store has no model, or null to refuse a store without one.</summary>
        public EmptyStoreRows? EmptyStore { get; init; }

        /// <summary>Gets the clock, or null for the system's (tests move the wall clock to a cron occurrence).</summary>
        public TimeProvider? Time { get; init; }
    }

    /// <summary>The rows of a store without a model yet: the extractor the first model is trained with, and its columns.</summary>
    /// <param name="Extractor">A row extractor (<see cref="CsvLoadResult.Extractor"/>, with an empty history).</param>
    /// <param name="Columns">Its columns (<see cref="CsvLoadResult.Columns"/>).</param>
    internal sealed record EmptyStoreRows(FeatureExtractor<Row> Extractor, IReadOnlyList<RowColumn> Columns)
    {
        /// <summary>Reads the columns (kinds, categories) from a sample file as <c>pq train</c> would read it.</summary>
        public static EmptyStoreRows FromSample(string path, CsvLoadOptions options, CancellationToken cancellationToken)
        {
            // The sample's history is not feedback: the served extractor starts from an empty state.
            var load = CsvDatasetLoader.Load(path, options, cancellationToken);
            return new EmptyStoreRows(load.Extractor.WithHistory(new HistoryState()), load.Columns);
        }
    }

    /// <summary>The input columns every posted row must have: the served model's, or the sample's before one exists.</summary>
    internal sealed record ServedColumns(IReadOnlyList<string> Names);
}
