using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PatternQuality.Feedback;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 13 (items 1 and 5): two real <c>pq serve --store sqlite:PATH</c> processes take feedback into one database
    /// file while their learners snapshot into it; one is SIGKILLed with requests in flight. Every record answered with
    /// 202 is in the file exactly once (ids posted to both processes included), sequences are unique and increasing,
    /// the file passes SQLite's integrity check, and a restarted process goes on appending and counting.
    /// </summary>
    [Fact]
    public async Task SqliteFeedbackFromTwoServeProcesses_SigkillLosesNothingAcknowledged_13()
    {
        var db = _dir.Combine("patternquality.db");
        var location = SqliteModelStoreOptions.LocationPrefix + db;
        using (var models = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = db }))
        using (var manager = new ModelVersionManager(models))
        {
            var saved = await manager.SaveAsync(Cli.TempStore.CouponModel, new ModelSaveRequest { TrainingRows = 12684, Trainer = "gbdt" });
            await manager.ActivateAsync(saved.Version, "test");
        }

        var rows = CouponRequestRows(200);
        var sent = new ConcurrentDictionary<string, byte>();
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var killed = StartServe(location);
        var survivor = StartServe(location);
        try
        {
            var urls = await Task.WhenAll(UrlOf(killed.Process, killed.Errors), UrlOf(survivor.Process, survivor.Errors));
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var stop = new CancellationTokenSource();

            // Three posters per process, batches of 25: ids of their own, plus one id every poster of both processes posts.
            var posters = Enumerable.Range(0, 6).Select(p => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var ids = Enumerable.Range(0, 24).Select(i => $"p{p}-b{batch}-{i}").Append($"shared-{batch}").ToArray();
                    var records = new JsonArray(ids.Select((id, i) => (JsonNode)new JsonObject
                    {
                        ["id"] = id,
                        ["row"] = rows[(batch + i) % rows.Length].DeepClone(),
                        ["approved"] = (batch + i) % 3 == 0,
                    }).ToArray());
                    foreach (var id in ids)
                    {
                        sent.TryAdd(id, 0);
                    }

                    HttpResponseMessage response;
                    try
                    {
                        response = await client.PostAsJsonAsync(urls[p % 2] + "/feedback", new JsonObject { ["records"] = records });
                    }
                    catch (HttpRequestException) when (p % 2 == 0)
                    {
                        return; // The killed process: in-flight requests have no answer, and none is counted.
                    }

                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    foreach (var id in ids)
                    {
                        acknowledged.TryAdd(id, 0);
                    }
                }
            })).ToArray();

            var limit = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 1_500 && DateTime.UtcNow < limit && !posters.Any(t => t.IsFaulted))
            {
                await Task.Delay(20);
            }

            // SIGKILL with requests in flight (three posters keep it busy), then let the survivor go on for a while.
            killed.Process.Kill(entireProcessTree: true);
            await killed.Process.WaitForExitAsync();
            var atKill = acknowledged.Count;
            await Task.Delay(500);
            await stop.CancelAsync();
            await Task.WhenAll(posters);
            Assert.True(acknowledged.Count > atKill, "the surviving process stopped taking feedback after the other was killed");
        }
        finally
        {
            Stop(killed.Process);
            Stop(survivor.Process);
        }

        // Every acknowledged record is in the file once; nothing appears that was not sent.
        using (var store = new SqliteFeedbackStore<Row>(new SqliteModelStoreOptions { DatabasePath = db }))
        {
            var stored = new List<FeedbackRecord<Row>>();
            await foreach (var record in store.ReadAsync(FeedbackWatermark.Start))
            {
                stored.Add(record);
            }

            var ids = stored.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(stored.Count, ids.Count);
            var lost = acknowledged.Keys.Where(id => !ids.Contains(id)).ToArray();
            Assert.True(lost.Length == 0, $"{lost.Length} acknowledged records are missing, for example {string.Join(", ", lost.Take(5))}");
            var unknown = ids.Where(id => !sent.ContainsKey(id)).ToArray();
            Assert.True(unknown.Length == 0, $"{unknown.Length} stored records were never sent");
            Assert.True(stored.Zip(stored.Skip(1)).All(p => p.Second.Sequence > p.First.Sequence), "sequences are not increasing");
            // Poster 1 writes to the survivor, so its first batch is always acknowledged (poster 0's may die in flight).
            Assert.Equal((string?)rows[0]["coupon"], stored.First(r => r.Id == "p1-b0-0").Pattern["coupon"]);
            Assert.Equal("ok", SqliteTestDatabase.Scalar(db, "PRAGMA integrity_check;"));

            // A restarted process appends after everything and counts it.
            var restarted = StartServe(location);
            try
            {
                var url = await UrlOf(restarted.Process, restarted.Errors);
                using var client = new HttpClient();
                var records = new JsonArray(Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject { ["id"] = $"after-{i}", ["row"] = rows[i].DeepClone(), ["approved"] = true }).ToArray());
                var response = await client.PostAsJsonAsync(url + "/feedback", new JsonObject { ["records"] = records });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.Equal(10, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
                Assert.Equal(stored.Count + 10, await store.CountAsync());
                var status = JsonNode.Parse(await client.GetStringAsync(url + "/status"))!;
                // Pending counts held records after the learner's watermark; records a training learned before it are
                // neither pending nor counted as consumed by the learner, so the two add up to at most what is held.
                var (consumed, pending) = ((long)status["consumed"]!, (long)status["pending"]!);
                Assert.InRange(pending, 0, stored.Count + 10);
                Assert.InRange(consumed + pending, 0, stored.Count + 10);
            }
            finally
            {
                Stop(restarted.Process);
            }
        }
    }

    private static (Process Process, StringBuilder Errors) StartServe(string location)
    {
        var process = PqProcess.Start("serve", "--store", location, "--urls", "http://127.0.0.1:0");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return (process, errors);
    }

    // pq serve prints the address it bound once it listens.
    private static async Task<string> UrlOf(Process process, StringBuilder errors)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            if (Regex.Match(line, @"http://127\.0\.0\.1:\d+") is { Success: true } match)
            {
                // Keep draining stdout so the child never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return match.Value;
            }
        }

        await process.WaitForExitAsync(CancellationToken.None);
        lock (errors)
        {
            Assert.Fail($"pq serve exited ({process.ExitCode}) before listening: {errors}");
        }

        return string.Empty;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    // Coupon rows as a client posts them: the model's input columns, the label left out.
    private static JsonObject[] CouponRequestRows(int count)
    {
        var lines = File.ReadLines(SharedData.Coupon).Take(count + 1).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var row = new JsonObject();
            for (var c = 0; c < header.Length; c++)
            {
                if (header[c] != "Y")
                {
                    row[header[c]] = cells[c];
                }
            }

            return row;
        }).ToArray();
    }
}
