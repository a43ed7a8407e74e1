using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Commands;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Cli;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 13, the prediction log under a crash: a real <c>pq serve --record-predictions</c> child process on an SQLite
    /// file serves coupon rows, its predictions reach the file, and it is SIGKILLed. A new <c>pq serve</c> on the file
    /// takes the rows' real verdicts under the prediction ids and closes every prediction the killed process served.
    /// </summary>
    [Fact]
    public async Task ServeSigkilledAfterServing_PredictionsItWroteAreClosedByFeedbackAfterwards_13()
    {
        var database = _dir.Combine("predictions.db");
        var location = SqliteModelStoreOptions.LocationPrefix + database;
        string version;
        using (var manager = new ModelVersionManager(new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = database })))
        {
            var saved = await manager.SaveAsync(TempStore.CouponModel, new ModelSaveRequest { TrainingRows = 12684, Trainer = "gbdt" });
            await manager.ActivateAsync(saved.Version, "test");
            version = saved.Version;
        }

        var rows = new JsonArray(Enumerable.Range(200, 30).Select(i => (JsonNode)ServeLifecycleTests.Row(i)).ToArray());
        using var log = new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = database });
        string[] ids;
        var process = PqProcess.Start("serve", "--store", location, "--urls", "http://127.0.0.1:0", "--record-predictions");
        try
        {
            using var client = new HttpClient { BaseAddress = await ListeningAsync(process), Timeout = TimeSpan.FromSeconds(30) };
            Drain(process);
            var body = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = rows })).Content.ReadAsStringAsync())!;
            ids = body["predictionIds"]!.AsArray().Select(n => (string)n!).ToArray();

            // The recorder writes in the background at once; the kill comes once the last prediction is in the file.
            var limit = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((await log.ReadAsync(ids[^1])).Count == 0)
            {
                Assert.True(DateTime.UtcNow < limit, "pq serve never wrote its predictions");
                await Task.Delay(50);
            }

            process.Kill();
            process.WaitForExit(10_000);
        }
        finally
        {
            KillNow(process);
        }

        var feedback = ServeLifecycleTests.Feedback(200, 30)["records"]!.AsArray();
        for (var i = 0; i < ids.Length; i++)
        {
            feedback[i]!["id"] = ids[i];
        }

        await using (var serve = await ServeCommand.BuildAsync(new ServeCommand.ServeSettings(location, "http://127.0.0.1:0") { RecordPredictions = true }, CancellationToken.None))
        {
            await serve.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(serve.Urls.First()) };
            var response = await client.PostAsJsonAsync("/feedback", new JsonObject { ["records"] = feedback.DeepClone() });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await serve.StopAsync();
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var prediction = Assert.Single(await log.ReadAsync(ids[i]));
            Assert.Equal(version, prediction.ModelVersion);
            Assert.Equal(prediction.PredictedApproved == (bool)feedback[i]!["approved"]!, prediction.WasCorrect);
        }
    }
}
