using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Telemetry;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// <c>pq serve</c>: the ready-made host, an ASP.NET Core minimal API over the same hosted lifecycle an embedding app
/// registers (<c>AddHostedLifecycle</c>), for rows with the model's input columns as in its training file.
/// </summary>
/// <remarks>
/// A thin shell: the endpoints are the library's (<c>MapPatternQuality</c>, PatternQuality.AspNetCore) over the hosted
/// lifecycle; this command opens the store, finds the rows' columns and adds the Prometheus exporter. The store must hold
/// an active version trained on CSV rows (<c>pq train</c>), whose column mapping defines the rows the service reads, or
/// the command names the columns with a sample file (<c>--data</c>): then <c>/score</c> answers 503 and <c>/feedback</c>
/// takes feedback until the lifecycle has trained the first model from it. <c>GET /metrics</c> exports the
/// <see cref="PatternQualityTelemetry.MeterName"/> meter as Prometheus text.
/// </remarks>
internal static partial class ServeCommand
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
        var recordPredictions = new Option<bool>("--record-predictions") { Description = "Record every served score in the store's prediction log (SQLite pq_predictions, PostgreSQL model_predictions); /score answers \"predictionIds\", and feedback with a prediction id as its \"id\" sets was_correct. sqlite: and PostgreSQL stores only." };

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
        command.Options.Add(recordPredictions);
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
                RecordPredictions = result.GetValue(recordPredictions),
            };
            await using var app = await BuildAsync(settings, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            stdout.WriteLine($"Serving {settings.Store} on {string.Join(", ", app.Urls)}; Ctrl+C stops.");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Builds the service on a store with an active version (not started).</summary>
    internal static Task<WebApplication> BuildAsync(string directory, string urls, string? retrainCron, CancellationToken cancellationToken)
        => BuildAsync(new ServeSettings(directory, urls) { RetrainCron = retrainCron }, cancellationToken);

    /// <summary>Builds the service on a store (not started).</summary>
    /// <exception cref="InvalidOperationException">The store has no active version and no extractor for an empty store was given, or the active version was not trained on CSV rows.</exception>
    internal static async Task<WebApplication> BuildAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        var (store, rows) = await OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings.Time is { } time)
        {
            builder.Services.AddSingleton(time);
        }

        var quality = builder.Services.AddPatternQuality<Row>()
            .UseFeatureExtractor(rows.Extractor)
            .UseModelStore(store);

        // On a file or SQLite store no feedback store is registered: the hosted lifecycle uses the model store's own (the
        // pq_feedback table of the SQLite file, or the fsync'd feedback.log in the store directory). The hosting package
        // knows no PostgreSQL: there feedback goes to seed 003's training_data in the same database, durable as well.
        var postgreSql = store is PostgreSqlModelStore && PostgreSqlModelStoreOptions.TryParseLocation(settings.Store, out var parsed) ? parsed : null;
        if (postgreSql is not null)
        {
            quality.UseFeedbackStore(_ => new PostgreSqlFeedbackStore<Row>(postgreSql));
        }

        quality.UseIncrementalLearning()
            .AddHostedLifecycle(o =>
            {
                o.RetrainSchedule = settings.RetrainCron;
                o.MinimumFeedbackForFirstTraining = settings.MinimumFeedback ?? o.MinimumFeedbackForFirstTraining;
            });
        if (settings.RecordPredictions)
        {
            // The log beside the models: the SQLite file's pq_predictions, or the database's model_predictions.
            if (postgreSql is not null)
            {
                builder.Services.AddSingleton<IPredictionLog>(_ => new PostgreSqlPredictionLog(postgreSql));
            }
            else if (store is not SqliteModelStore)
            {
                throw new InvalidOperationException($"--record-predictions keeps the predictions in the store's database: use --store sqlite:PATH or a PostgreSQL store, not the directory '{settings.Store}'.");
            }

            quality.UsePredictionLog();
        }
        builder.Services.AddHealthChecks();

        // GET /metrics: the library's meter (score count and latency, served version, updates, trainings, gate
        // decisions, feedback lag) as Prometheus text.
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(PatternQualityTelemetry.MeterName, "System.Runtime").AddPrometheusExporter());
        var app = builder.Build();

        // The library's endpoints, as a host app maps them; rows must carry the columns known at start (the model's, or
        // the sample's before the first model exists).
        var names = rows.Columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToArray();
        app.MapPatternQuality<Row>(o => o.RequiredColumns = names);
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
