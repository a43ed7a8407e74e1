using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Tests.Cli;
using PatternQuality.Tests.Storage.PostgreSql;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 13 item 3 on PostgreSQL: real writer processes SIGKILLed in the middle of a save. The moment is made
    /// certain, not left to timing: the test holds a lock the writer's next statement needs, waits until the server shows
    /// that statement waiting inside the writer's open transaction (the store's advisory lock taken, the model bytes or
    /// the feedback rows already sent), and kills the writer there.
    /// <list type="number">
    /// <item>A <c>pq train</c> killed while inserting its version: the store lists and loads exactly what was committed,
    /// the active version still serves, and the next <c>pq train</c> saves at once (the server released the dead
    /// session's lock).</item>
    /// <item>A <c>pq serve</c> killed while appending a batch of feedback: every batch answered 202 before is stored once,
    /// the killed batch whole or not at all; a restarted <c>pq serve</c> finds every acknowledged record a duplicate,
    /// takes what is missing of the killed batch when it is posted again (nothing twice), and serves the active version.</item>
    /// </list>
    /// </summary>
    [Fact]
    public async Task PostgreSqlWritersSigkilledMidSave_StoreLoadsActiveServesNothingAcknowledgedLost_13()
    {
        if (PostgreSqlTestServer.Skip(nameof(PostgreSqlWritersSigkilledMidSave_StoreLoadsActiveServesNothingAcknowledgedLost_13)))
        {
            return;
        }

        var schema = PostgreSqlTestServer.NewSchema();
        var table = $"\"{schema}\"";
        try
        {
            var location = PostgreSqlTestServer.StoreUrl(schema);
            Assert.True(PostgreSqlModelStoreOptions.TryParseLocation(location, out var options));
            await using var models = new PostgreSqlModelStore(options);
            string active;
            using (var manager = new ModelVersionManager(models))
            {
                var saved = await manager.SaveAsync(TempStore.CouponModel, new ModelSaveRequest { TrainingRows = 12684, Trainer = "gbdt" });
                await manager.ActivateAsync(saved.Version, "test");
                active = saved.Version;
            }

            // 1. pq train killed while its INSERT of the version waits for the table lock the test holds.
            await using (var holder = await OpenAsync())
            {
                await using var hold = await holder.BeginTransactionAsync();
                await Execute(holder, $"LOCK TABLE {table}.ml_models IN SHARE MODE;");
                var train = Start(location, seed: 3);
                try
                {
                    var pid = await BlockedBackendAsync($"INSERT INTO {table}.ml_models");
                    train.Kill();
                    await train.WaitForExitAsync();
                    await hold.RollbackAsync();
                    await GoneAsync(pid);
                }
                finally
                {
                    KillNow(train);
                }
            }

            var versions = await models.ListAsync();
            Assert.Equal([active], versions.Select(v => v.Version));
            Assert.Equal(active, await models.GetActiveVersionAsync());
            Assert.NotNull(QualityModel.Load((await models.LoadAsync(active)).Content.ToArray()));
            var next = await WaitAsync(Start(location, seed: 4));
            Assert.True(next.ExitCode == 0, $"pq train after the kill failed ({next.ExitCode}): {next.Error}");
            var trained = Assert.Single(await models.ListAsync(), v => v.Version != active);
            Assert.Equal("gbdt", QualityModel.Load((await models.LoadAsync(trained.Version)).Content.ToArray()).Info.Trainer);
            if (await models.GetActiveVersionAsync() != active)
            {
                // pq train --force promoted its model; the rest of the test serves the first one again.
                await models.SetActiveVersionAsync(active);
            }

            // 2. pq serve killed while its COPY of a batch waits on an uncommitted row (held by the test) with one of
            //    the batch's feedback ids.
            // Batches of 40 go in one round trip (INSERT); the killed one, of 300, by COPY inside an open transaction.
            const int KilledBatchSize = 300;
            var acknowledged = new List<string>();
            var killedBatch = Batch(1_000, KilledBatchSize);
            var killedIds = Ids(killedBatch).ToArray();
            int killedStored;
            await using (var holder = await OpenAsync())
            {
                var serve = PqProcess.Start("serve", "--store", location, "--urls", "http://127.0.0.1:0");
                try
                {
                    using var client = new HttpClient { BaseAddress = await ListeningAsync(serve), Timeout = TimeSpan.FromSeconds(60) };
                    Drain(serve);
                    for (var b = 0; b < 5; b++)
                    {
                        var body = Batch(b * 40, 40);
                        using var response = await client.PostAsJsonAsync("/feedback", body);
                        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                        acknowledged.AddRange(Ids(body));
                    }

                    await using var hold = await holder.BeginTransactionAsync();
                    await Execute(holder, $"INSERT INTO {table}.training_data (user_id, feature_vector, label, model_type, feedback_id, sequence) VALUES ('', '{{}}', 'approved', '{options.ModelType}', 'k1299', 9000000000);");
                    var inFlight = client.PostAsJsonAsync("/feedback", killedBatch);
                    var pid = await BlockedBackendAsync($"{table}.training_data");
                    serve.Kill();
                    await serve.WaitForExitAsync();
                    await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
                    await hold.RollbackAsync();
                    await GoneAsync(pid);
                }
                finally
                {
                    KillNow(serve);
                }
            }

            await using (var feedback = new PostgreSqlFeedbackStore<Row>(options))
            {
                var stored = new List<FeedbackRecord<Row>>();
                await foreach (var record in feedback.ReadAsync(FeedbackWatermark.Start))
                {
                    stored.Add(record);
                }

                // The killed batch had reached the server whole, so the server may still commit it once the row it
                // waited on is gone (a batch smaller than the COPY threshold commits at the end of its one round trip, whoever listens): it was
                // never acknowledged, and it is stored whole or not at all.
                killedStored = stored.Count(r => killedIds.Contains(r.Id));
                Assert.True(killedStored is 0 or KilledBatchSize, $"{killedStored} of the killed batch's {KilledBatchSize} records are stored: a batch is stored whole or not at all");
                Assert.Equal(acknowledged.Concat(killedStored == 0 ? [] : killedIds).Order(StringComparer.Ordinal), stored.Select(r => r.Id).Order(StringComparer.Ordinal));
                Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(r => r.Sequence));
            }

            var restarted = PqProcess.Start("serve", "--store", location, "--urls", "http://127.0.0.1:0");
            try
            {
                using var client = new HttpClient { BaseAddress = await ListeningAsync(restarted), Timeout = TimeSpan.FromSeconds(60) };
                Drain(restarted);
                var again = new JsonObject { ["records"] = new JsonArray(acknowledged.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["row"] = ServeLifecycleTests.Row(RowOf(id)), ["approved"] = true }).ToArray()) };
                var repeated = JsonNode.Parse(await (await client.PostAsJsonAsync("/feedback", again)).Content.ReadAsStringAsync())!;
                Assert.Equal(0, (int)repeated["accepted"]!);
                Assert.Equal(acknowledged.Count, (int)repeated["duplicates"]!);
                var retried = JsonNode.Parse(await (await client.PostAsJsonAsync("/feedback", killedBatch)).Content.ReadAsStringAsync())!;
                Assert.Equal((KilledBatchSize - killedStored, killedStored), ((int)retried["accepted"]!, (int)retried["duplicates"]!));
                using var score = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = new JsonArray(ServeLifecycleTests.Row(12_000)) });
                Assert.Equal(HttpStatusCode.OK, score.StatusCode);
                Assert.Equal(active, (string?)JsonNode.Parse(await score.Content.ReadAsStringAsync())!["version"]);
            }
            finally
            {
                KillNow(restarted);
            }
        }
        finally
        {
            PostgreSqlTestServer.DropSchema(schema);
        }

        static async Task<NpgsqlConnection> OpenAsync()
        {
            var connection = new NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        static async Task Execute(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        // The backend of the writer: inside its transaction, its statement waiting for a lock.
        static async Task<int> BlockedBackendAsync(string statement)
        {
            var query = $"SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND xact_start IS NOT NULL AND position('{statement.Replace("'", "''", StringComparison.Ordinal)}' IN query) > 0 AND pid <> pg_backend_pid() LIMIT 1;";
            await PsqlProcess.WaitUntilAsync($"SELECT EXISTS ({query.TrimEnd(';')});", TimeSpan.FromMinutes(3));
            return (int)PostgreSqlTestServer.Scalar(query)!;
        }

        // The server rolls the dead client's transaction back once it finds the connection gone.
        static Task GoneAsync(int pid) => PsqlProcess.WaitUntilAsync($"SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {pid});", TimeSpan.FromMinutes(1));
    }
}
