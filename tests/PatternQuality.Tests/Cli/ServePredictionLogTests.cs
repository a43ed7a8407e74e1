using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Commands;
using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage.PostgreSql;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.Cli;

/// <summary>
/// <c>pq serve --record-predictions</c> on an SQLite file and on a PostgreSQL URL (issue 13): served scores recorded in
/// the store's database with the ids <c>/score</c> answers, closed by feedback sent to a restarted <c>pq serve</c>; on
/// PostgreSQL the feedback itself lands durably in seed 003's <c>training_data</c>. Real coupon rows, real loopback HTTP.
/// </summary>
public sealed class ServePredictionLogTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task RecordedPredictions_AreClosedByFeedbackAfterARestart(string kind)
    {
        if (kind == "postgresql" && PostgreSqlTestServer.Skip(nameof(RecordedPredictions_AreClosedByFeedbackAfterARestart) + "(postgresql)"))
        {
            return;
        }

        using var directory = new TempStore();
        var schema = PostgreSqlTestServer.NewSchema();
        string location;
        if (kind == "sqlite")
        {
            location = SqliteModelStoreOptions.LocationPrefix + Path.Combine(directory.Root, "serve.db");
        }
        else
        {
            location = PostgreSqlTestServer.StoreUrl(schema);
        }

        try
        {
            var store = StoreArguments.OpenStore(location, mustExist: false);
            string version;
            using (var manager = new ModelVersionManager(store))
            {
                var saved = await manager.SaveAsync(TempStore.CouponModel, new ModelSaveRequest { TrainingRows = 12684, Trainer = "gbdt" });
                await manager.ActivateAsync(saved.Version, "test");
                version = saved.Version;
            }

            var settings = new ServeCommand.ServeSettings(location, "http://127.0.0.1:0") { RecordPredictions = true };
            var rows = new JsonArray(Enumerable.Range(0, 12).Select(i => (JsonNode)ServeLifecycleTests.Row(i)).ToArray());
            var feedback = ServeLifecycleTests.Feedback(0, 12)["records"]!.AsArray();
            string[] ids;
            float[] scores;
            await using (var serve = await ServeCommand.BuildAsync(settings, CancellationToken.None))
            {
                await serve.StartAsync();
                using var client = new HttpClient { BaseAddress = new Uri(serve.Urls.First()) };
                var body = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = rows })).Content.ReadAsStringAsync())!;
                Assert.Equal(version, (string?)body["version"]);
                ids = body["predictionIds"]!.AsArray().Select(n => (string)n!).ToArray();
                scores = body["scores"]!.AsArray().Select(n => (float)n!).ToArray();
                Assert.Equal(12, ids.Distinct().Count());
                await PostFeedbackAsync(client, feedback, ids, 0, 4);
                await serve.StopAsync();
            }

            // A new pq serve on the store: the predictions the first one served are closed by feedback sent to it.
            await using (var serve = await ServeCommand.BuildAsync(settings, CancellationToken.None))
            {
                await serve.StartAsync();
                using var client = new HttpClient { BaseAddress = new Uri(serve.Urls.First()) };
                await PostFeedbackAsync(client, feedback, ids, 4, 8);
                await serve.StopAsync();
            }

            IPredictionLog log = kind == "sqlite"
                ? new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = ((SqliteModelStore)store).DatabasePath })
                : new PostgreSqlPredictionLog(Options(location));
            for (var i = 0; i < ids.Length; i++)
            {
                var prediction = Assert.Single(await log.ReadAsync(ids[i]));
                Assert.Equal(version, prediction.ModelVersion);
                Assert.Equal(scores[i], prediction.Score);
                Assert.Equal(prediction.PredictedApproved == (bool)feedback[i]!["approved"]!, prediction.WasCorrect);
            }

            // The feedback is durable in the store's database (PostgreSQL: training_data, no longer process memory).
            IFeedbackStore<Row> held = kind == "sqlite"
                ? new SqliteFeedbackStore<Row>(new SqliteModelStoreOptions { DatabasePath = ((SqliteModelStore)store).DatabasePath })
                : new PostgreSqlFeedbackStore<Row>(Options(location));
            Assert.Equal(12, await held.CountAsync());
            (log as IDisposable)?.Dispose();
            (held as IDisposable)?.Dispose();
            (store as IDisposable)?.Dispose();
        }
        finally
        {
            if (kind == "postgresql")
            {
                PostgreSqlTestServer.DropSchema(schema);
            }
        }
    }

    [Fact]
    public async Task OnADirectoryStore_RecordingIsRefusedNamingTheStoresThatCan()
    {
        using var store = new TempStore();
        store.AddCouponModel();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ServeCommand.BuildAsync(new ServeCommand.ServeSettings(store.Dir, "http://127.0.0.1:0") { RecordPredictions = true }, CancellationToken.None));

        Assert.Contains("--store sqlite:PATH or a PostgreSQL store", ex.Message, StringComparison.Ordinal);
    }

    private static PostgreSqlModelStoreOptions Options(string location)
    {
        Assert.True(PostgreSqlModelStoreOptions.TryParseLocation(location, out var options));
        return options!;
    }

    private static async Task PostFeedbackAsync(HttpClient client, JsonArray feedback, string[] ids, int skip, int take)
    {
        var records = new JsonArray(Enumerable.Range(skip, take).Select(i =>
        {
            var record = feedback[i]!.DeepClone();
            record["id"] = ids[i];
            return record;
        }).ToArray());
        var response = await client.PostAsJsonAsync("/feedback", new JsonObject { ["records"] = records });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(take, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
    }
}
