using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Cli;
using PatternQuality.Tests.Storage.PostgreSql;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.AspNetCore;

/// <summary>
/// The prediction log as a host uses it (issue 13): <c>UsePredictionLog()</c> in a real ASP.NET Core host, <c>POST /score</c>
/// answering prediction ids, <c>POST /feedback</c> with those ids closing them (<c>was_correct</c>), on SQLite and on
/// PostgreSQL, and a prediction served before a restart closed by feedback after it. Real coupon rows.
/// </summary>
public sealed class PredictionLogHostTests
{
    [Fact]
    public async Task DefaultSqliteHost_ScoresAreRecordedWithIds_FeedbackAfterARestartClosesThem()
    {
        using var directory = new TempStore();
        var database = Path.Combine(directory.Root, "quality.db");
        var version = await SaveCouponModelAsync(new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = database }));

        // The hosted lifecycle's default store (no UseSqlite): the log goes into the same database file.
        void Configure(IPatternQualityBuilder<Row> pq) => pq.AddHostedLifecycle(o => o.DatabasePath = database).UsePredictionLog();

        string[] ids;
        float[] scores;
        await using (var host = new LoggingHost(Configure))
        {
            using var client = host.CreateClient();
            (ids, scores) = await ScoreAsync(client, version, 0, 20);

            // Feedback for the first half, with the prediction ids as the feedback ids.
            await SendFeedbackAsync(client, ids, 0, 10);
            await host.Services.GetRequiredService<PredictionRecorder>().FlushAsync();
            await AssertClosedAsync(host.Services.GetRequiredService<IPredictionLog>(), ids, scores, version, closed: 10);

            // Client ids are used as given; a malformed list is refused before anything is scored.
            var response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = Rows(0, 2), ["ids"] = new JsonArray("offer-a", "offer-b"), ["userId"] = "u-7" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["offer-a", "offer-b"], JsonNode.Parse(await response.Content.ReadAsStringAsync())!["predictionIds"]!.AsArray().Select(n => (string)n!));
            response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = Rows(0, 2), ["ids"] = new JsonArray("only-one") });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("one id per row (2)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = Rows(0, 1), ["ids"] = new JsonArray(" ") });
            Assert.Contains("ids[0] must be a non-empty string", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = Rows(0, 1), ["userId"] = 7 });
            Assert.Equal("\"userId\" must be a non-empty string", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
        }

        // Disposing the host wrote the queue; a new host on the file closes what the old one served.
        await using (var host = new LoggingHost(Configure))
        {
            using var client = host.CreateClient();
            await SendFeedbackAsync(client, ids, 10, 10);
            var recorder = host.Services.GetRequiredService<PredictionRecorder>();
            await recorder.FlushAsync();
            Assert.Equal(10, recorder.ResolvedCount);
            var log = host.Services.GetRequiredService<IPredictionLog>();
            Assert.Equal(database, Assert.IsType<SqlitePredictionLog>(log).DatabasePath);
            await AssertClosedAsync(log, ids, scores, version, closed: 20);
            Assert.Equal("u-7", Assert.Single(await log.ReadAsync("offer-a")).UserId);
        }
    }

    [Fact]
    public async Task PostgreSqlHost_ScoresAreRecordedInModelPredictions_FeedbackAfterARestartClosesThem()
    {
        if (PostgreSqlTestServer.Skip(nameof(PostgreSqlHost_ScoresAreRecordedInModelPredictions_FeedbackAfterARestartClosesThem)))
        {
            return;
        }

        var schema = PostgreSqlTestServer.NewSchema();
        try
        {
            var options = new PostgreSqlModelStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString!, Schema = schema };
            var version = await SaveCouponModelAsync(new PostgreSqlModelStore(options));
            void Configure(IPatternQualityBuilder<Row> pq) => pq
                .UsePostgreSqlModelStore(o =>
                {
                    o.ConnectionString = options.ConnectionString;
                    o.Schema = schema;
                })
                .UseFeedbackStore(sp => new PostgreSqlFeedbackStore<Row>(sp.GetRequiredService<IOptions<PostgreSqlModelStoreOptions>>().Value))
                .UsePredictionLog(o => o.DecisionThreshold = 0.6)
                .UsePostgreSqlPredictionLog()
                .AddHostedLifecycle();

            string[] ids;
            float[] scores;
            await using (var host = new LoggingHost(Configure))
            {
                using var client = host.CreateClient();
                (ids, scores) = await ScoreAsync(client, version, 100, 20);
                await SendFeedbackAsync(client, ids, 0, 5);
                await host.Services.GetRequiredService<PredictionRecorder>().FlushAsync();
                await AssertClosedAsync(host.Services.GetRequiredService<IPredictionLog>(), ids, scores, version, closed: 5, threshold: 0.6f);
            }

            await using (var host = new LoggingHost(Configure))
            {
                using var client = host.CreateClient();
                await SendFeedbackAsync(client, ids, 5, 15);
                await host.Services.GetRequiredService<PredictionRecorder>().FlushAsync();
                Assert.IsType<PostgreSqlPredictionLog>(host.Services.GetRequiredService<IPredictionLog>());
                await AssertClosedAsync(host.Services.GetRequiredService<IPredictionLog>(), ids, scores, version, closed: 20, threshold: 0.6f);
            }

            // Seed 003's columns, as SQL sees them: every served score closed, joined to the model that served it.
            var table = $"\"{schema}\".model_predictions";
            Assert.Equal(20L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM {table} WHERE was_correct IS NOT NULL;"));
            Assert.Equal(20L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM {table} p JOIN \"{schema}\".ml_models m ON m.model_id = p.model_id WHERE m.version = '{version}';"));
        }
        finally
        {
            PostgreSqlTestServer.DropSchema(schema);
        }
    }

    [Fact]
    public async Task HostsThatDoNotOptIn_AnswerWithoutIds_AndRecordNothing()
    {
        using var directory = new TempStore();
        var database = Path.Combine(directory.Root, "quality.db");
        var version = await SaveCouponModelAsync(new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = database }));
        await using var host = new LoggingHost(pq => pq.AddHostedLifecycle(o => o.DatabasePath = database));
        using var client = host.CreateClient();

        var body = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = Rows(0, 3), ["ids"] = new JsonArray("a", "b", "c") })).Content.ReadAsStringAsync())!;

        Assert.Equal(version, (string?)body["version"]);
        Assert.Null(body["predictionIds"]);
        Assert.Null(host.Services.GetService<PredictionRecorder>());
    }

    [Fact]
    public async Task InvalidRecorderOptions_FailTheHostStart_ListingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPatternQuality<Row>().UseModelStore(new InMemoryModelStore()).UseFeedbackStore(new InMemoryFeedbackSource<Row>())
            .UsePredictionLog(o =>
            {
                o.Capacity = 0;
                o.DecisionThreshold = 1.5;
            });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains(nameof(PredictionRecorderOptions.Capacity), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(PredictionRecorderOptions.DecisionThreshold), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AModelStoreWithoutALogOfItsOwn_NamesTheFix_ARegisteredLogIsUsed()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Row>().UseModelStore(new InMemoryModelStore()).UsePredictionLog();
        await using (var provider = services.BuildServiceProvider())
        {
            var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<PredictionRecorder>());
            Assert.Contains("register an IPredictionLog", ex.Message, StringComparison.Ordinal);
        }

        var log = new InMemoryPredictionLog();
        services.AddSingleton<IPredictionLog>(log);
        await using (var provider = services.BuildServiceProvider())
        {
            var recorder = provider.GetRequiredService<PredictionRecorder>();
            Assert.True(recorder.TryRecord("p", "v1", 0.9f));
            await recorder.FlushAsync();
            Assert.Equal(1, log.Count);
        }
    }

    private static JsonArray Rows(int skip, int take) => new(Enumerable.Range(skip, take).Select(i => (JsonNode)ServeLifecycleTests.Row(i)).ToArray());

    private static async Task<string> SaveCouponModelAsync(IModelStore store)
    {
        using var manager = new ModelVersionManager(store);
        var saved = await manager.SaveAsync(TempStore.CouponModel, new ModelSaveRequest { TrainingRows = 12684, Trainer = "gbdt" });
        await manager.ActivateAsync(saved.Version, "test");
        return saved.Version;
    }

    private static async Task<(string[] Ids, float[] Scores)> ScoreAsync(HttpClient client, string version, int skip, int take)
    {
        var response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = Rows(skip, take) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(version, (string?)body["version"]);
        var ids = body["predictionIds"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Equal(take, ids.Distinct().Count());
        var scores = body["scores"]!.AsArray().Select(n => (float)n!).ToArray();
        Assert.Contains(scores, s => s >= 0.5f);
        Assert.Contains(scores, s => s < 0.5f);
        return (ids, scores);
    }

    // The coupon rows' real verdicts, each under the id of the prediction served for the row.
    private static async Task SendFeedbackAsync(HttpClient client, string[] ids, int skip, int take)
    {
        var feedback = ServeLifecycleTests.Feedback(0, ids.Length);
        var records = feedback["records"]!.AsArray();
        for (var i = 0; i < ids.Length; i++)
        {
            records[i]!["id"] = ids[i];
        }

        var body = new JsonObject { ["records"] = new JsonArray(records.Skip(skip).Take(take).Select(r => r!.DeepClone()).ToArray()) };
        var response = await client.PostAsJsonAsync("/feedback", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(take, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
    }

    private static async Task AssertClosedAsync(IPredictionLog log, string[] ids, float[] scores, string version, int closed, float threshold = 0.5f)
    {
        var verdicts = ServeLifecycleTests.Feedback(0, ids.Length)["records"]!.AsArray().Select(r => (bool)r!["approved"]!).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var prediction = Assert.Single(await log.ReadAsync(ids[i]));
            Assert.Equal(version, prediction.ModelVersion);
            Assert.Equal(scores[i], prediction.Score);
            Assert.Equal(scores[i] >= threshold, prediction.PredictedApproved);
            Assert.Equal(i < closed ? prediction.PredictedApproved == verdicts[i] : null, prediction.WasCorrect);
        }
    }

    /// <summary>A host app of rows of named columns that maps the endpoints at the root; the test configures its PatternQuality registration.</summary>
    private sealed class LoggingHost(Action<IPatternQualityBuilder<Row>> configure) : WebApplicationFactory<LoggingHost>
    {
        protected override IHostBuilder CreateHostBuilder() => Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .ConfigureServices(services =>
            {
                services.AddRouting();
                configure(services.AddPatternQuality<Row>().UseFeatureExtractor(QualityModel.Load(TempStore.CouponModel).CreateRowExtractor()));
            })
            .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapPatternQuality<Row>())));

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);
    }
}
