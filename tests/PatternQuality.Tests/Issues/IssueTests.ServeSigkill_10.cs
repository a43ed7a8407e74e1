using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Cli;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 10 item 7: a real <c>pq serve</c> child process, SIGKILLed again and again while four clients post
    /// feedback and, in some rounds, while a retrain (<c>POST /retrain</c>), the first training from feedback or a
    /// learner's snapshot and activation is running. After every restart no acknowledged (202) record is lost (posting
    /// them all again gives only duplicates), and the active version loads and scores. Bounded: 7 rounds of a few seconds.
    /// </summary>
    [Fact]
    public async Task ServeSigkilledDuringFeedbackRetrainAndPromotion_LosesNoAcknowledgedRecord_10()
    {
        var store = _dir.Combine("serve-kill");
        Directory.CreateDirectory(store);
        var sample = _dir.Combine("sample.csv");
        File.WriteAllLines(sample, File.ReadLines(SharedData.Coupon).Take(1001));
        var acknowledged = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        var random = new Random(10);
        var log = new List<string>();
        var clock = Stopwatch.StartNew();

        for (var round = 0; round < 7; round++)
        {
            // Round 0 starts on an empty store (first training at 300 records); round 3 is killed while it starts up.
            var process = PqProcess.Start("serve", "--store", store, "--urls", "http://127.0.0.1:0", "--data", sample, "--label", "Y", "--min-feedback", "300");
            try
            {
                if (round == 3)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 + random.Next(600)));
                    log.Add($"round {round}: killed while starting");
                    continue;
                }

                using var client = new HttpClient { BaseAddress = await ListeningAsync(process), Timeout = TimeSpan.FromSeconds(30) };
                Drain(process);
                await CheckRestartAsync(client, store, acknowledged);

                // Four clients post batches of 20 until the kill; a 202 means durable, so its ids are recorded.
                using var stop = new CancellationTokenSource();
                var posters = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var start = Interlocked.Add(ref next, 20) - 20;
                        var body = Batch(start, 20);
                        try
                        {
                            using var response = await client.PostAsJsonAsync("/feedback", body, stop.Token);
                            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                            foreach (var id in Ids(body))
                            {
                                acknowledged.TryAdd(id, round);
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                        {
                            return;
                        }
                    }
                })).ToArray();

                // Some rounds kill during a gated retrain on everything posted so far.
                Task<HttpResponseMessage>? retrain = null;
                if (round is 2 or 5 or 6)
                {
                    await Task.Delay(300);
                    retrain = client.PostAsync("/retrain", null);
                }

                var before = random.Next(300, 2500);
                await Task.Delay(before);
                process.Kill();
                log.Add($"round {round}: killed after {before} ms, {acknowledged.Count} acknowledged, retrain {(retrain is null ? "none" : retrain.IsCompleted ? "finished" : "in flight")}");
                await stop.CancelAsync();
                await Task.WhenAll(posters);
                if (retrain is not null)
                {
                    try
                    {
                        (await retrain).Dispose();
                    }
                    catch (HttpRequestException)
                    {
                        // Killed mid-request: the point of the round.
                    }
                }
            }
            finally
            {
                KillNow(process);
            }
        }

        // A last, clean start: every acknowledged record is there and the active version serves.
        var last = PqProcess.Start("serve", "--store", store, "--urls", "http://127.0.0.1:0", "--data", sample, "--label", "Y", "--min-feedback", "300");
        try
        {
            using var client = new HttpClient { BaseAddress = await ListeningAsync(last), Timeout = TimeSpan.FromSeconds(30) };
            Drain(last);
            await CheckRestartAsync(client, store, acknowledged);

            // The rounds are killed after 0.3-2.5 s; on a loaded machine no training may have finished by then. One
            // retrain awaited here proves the store still trains and publishes after seven kills (409: one is running).
            using var retrain = await client.PostAsync("/retrain", null);
            Assert.True(retrain.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"POST /retrain after the kills: {(int)retrain.StatusCode} {await retrain.Content.ReadAsStringAsync()}");
        }
        finally
        {
            KillNow(last);
        }

        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store }));
        Assert.True(await versions.GetActiveVersionAsync() is not null, string.Join("\n", log));
        Assert.True(acknowledged.Count >= 300, $"only {acknowledged.Count} records were acknowledged in {clock.Elapsed}:\n{string.Join("\n", log)}");
        Assert.True((await versions.ListAsync()).Count >= 1, "the rounds and the last retrain should have trained and published versions:\n" + string.Join("\n", log));
    }

    // After a restart: the store's active version (if any) is what /score serves and it scores; every acknowledged
    // record is already in the log (posting it again is a duplicate, never accepted anew).
    private static async Task CheckRestartAsync(HttpClient client, string store, ConcurrentDictionary<string, int> acknowledged)
    {
        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = store }));
        if (await versions.LoadActiveAsync() is { } active)
        {
            Assert.NotNull(QualityModel.Load(active));
            using var response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = new JsonArray(ServeLifecycleTests.Row(12_000)) });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var served = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"];
            Assert.NotNull(served);
        }

        var ids = acknowledged.Keys.ToArray();
        for (var i = 0; i < ids.Length; i += 500)
        {
            var chunk = ids.Skip(i).Take(500).ToArray();
            var body = new JsonObject
            {
                ["records"] = new JsonArray(chunk.Select(id => (JsonNode)new JsonObject
                {
                    ["id"] = id,
                    ["row"] = ServeLifecycleTests.Row(RowOf(id)),
                    ["approved"] = true,
                }).ToArray()),
            };
            using var response = await client.PostAsJsonAsync("/feedback", body);
            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True((int)result["accepted"]! == 0, $"{(int)result["accepted"]!} acknowledged records were lost: {result.ToJsonString()}");
            Assert.Equal(chunk.Length, (int)result["duplicates"]!);
        }
    }

    // Records k{n} for n = start..start+count-1, on coupon row n mod 12,000 with its own label.
    private static JsonObject Batch(int start, int count)
    {
        var body = ServeLifecycleTests.Feedback(0, 0);
        var records = body["records"]!.AsArray();
        foreach (var n in Enumerable.Range(start, count))
        {
            var one = ServeLifecycleTests.Feedback(n % 12_000, 1)["records"]![0]!.DeepClone();
            one["id"] = "k" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            records.Add(one);
        }

        return body;
    }

    private static IEnumerable<string> Ids(JsonObject body) => body["records"]!.AsArray().Select(r => (string)r!["id"]!);

    private static int RowOf(string id) => int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 12_000;

    // pq serve prints "Serving STORE on URL; Ctrl+C stops." once it listens.
    private static async Task<Uri> ListeningAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf(" on http://", StringComparison.Ordinal);
            if (at >= 0)
            {
                return new Uri(line[(at + 4)..].Split([',', ';', ' '])[0]);
            }
        }

        throw new InvalidOperationException("pq serve exited before listening: " + await process.StandardError.ReadToEndAsync());
    }

    // Reads what the child writes after it listens, so a full pipe never blocks it.
    private static void Drain(Process process)
    {
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
    }

    private static void KillNow(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }
}
