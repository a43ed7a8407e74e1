using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Commands;
using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary>
/// Issue 10: <c>pq serve</c> over its whole life on real loopback HTTP with the coupon data: a store without a model
/// (503, Unhealthy, feedback taken durably), the first model trained from that feedback, <c>GET /metrics</c>, updates,
/// a gated retrain and a promotion, a rollback from the command line, a restart that scores like <c>pq predict</c>, and
/// a scheduled retrain from <c>--retrain-cron</c>.
/// </summary>
public sealed class ServeLifecycleTests
{
    private static readonly Lazy<CsvTable> _coupon = new(() => CsvTable.Read(SharedData.Coupon));

    [Fact]
    public async Task WholeLife_NoModel_FirstTraining_Updates_Retrain_Rollback_Restart()
    {
        using var store = new TempStore();
        Directory.CreateDirectory(store.Dir);
        using var sample = new TempFile(string.Join("\n", File.ReadLines(SharedData.Coupon).Take(1001)) + "\n");
        var probeIndexes = Enumerable.Range(5000, 25).ToArray();
        var probeLines = File.ReadLines(SharedData.Coupon).Skip(1).Where((_, i) => i >= 5000 && i < 5025);
        using var probeFile = new TempFile(File.ReadLines(SharedData.Coupon).First() + "\n" + string.Join("\n", probeLines) + "\n");
        var probes = new JsonObject { ["rows"] = new JsonArray(probeIndexes.Select(i => (JsonNode)Row(i)).ToArray()) };
        var settings = new ServeCommand.ServeSettings(store.Dir, "http://127.0.0.1:0")
        {
            MinimumFeedback = 300,
            EmptyStore = ServeCommand.EmptyStoreRows.FromSample(sample.Path, new CsvLoadOptions { LabelColumn = "Y" }, CancellationToken.None),
        };

        double[] served;
        string version;
        await using (var app = await ServeCommand.BuildAsync(settings, CancellationToken.None))
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            // No model: /score is a 503 that says why, /health is Unhealthy (503), /status has no version.
            var response = await client.PostAsJsonAsync("/score", probes);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];
            Assert.Contains("no model yet", error, StringComparison.Ordinal);
            Assert.Contains("300", error, StringComparison.Ordinal);
            response = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("\"status\":\"Unhealthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Null((string?)JsonNode.Parse(await client.GetStringAsync("/status"))!["version"]);

            // Feedback is taken (durably) without a model; a row without a model column is still refused by name.
            response = await client.PostAsJsonAsync("/feedback", Feedback(0, 200));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(200, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
            var lacking = Row(0);
            lacking.Remove("weather");
            response = await client.PostAsJsonAsync("/feedback", new JsonObject { ["records"] = new JsonArray(new JsonObject { ["id"] = "x", ["row"] = lacking, ["approved"] = true }) });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'weather'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsJsonAsync("/score", probes)).StatusCode);

            // Enough feedback: the lifecycle trains the first model from the log and /score starts answering.
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/feedback", Feedback(200, 150))).StatusCode);
            response = await Until(async () =>
            {
                var r = await client.PostAsJsonAsync("/score", probes);
                return r.StatusCode == HttpStatusCode.OK ? r : null;
            });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            version = (string)body["version"]!;
            served = body["scores"]!.AsArray().Select(s => (double)s!).ToArray();
            Assert.Equal(probeIndexes.Length, served.Length);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            Assert.Equal(version, (string?)JsonNode.Parse(await client.GetStringAsync("/status"))!["version"]);

            // GET /metrics: the PatternQuality meter as Prometheus text.
            var metrics = await client.GetStringAsync("/metrics");
            Assert.Contains("patternquality_score_count", metrics, StringComparison.Ordinal);
            Assert.Contains("patternquality_score_duration_milliseconds_bucket{", metrics, StringComparison.Ordinal);
            Assert.Contains("patternquality_training_count", metrics, StringComparison.Ordinal);
            Assert.Contains("patternquality_gate_decisions", metrics, StringComparison.Ordinal);
            Assert.Contains(
                metrics.Split('\n'),
                line => line.StartsWith("patternquality_model_served", StringComparison.Ordinal) && line.Contains(version, StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));

            // Updates: later feedback flows from the log into the learner.
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/feedback", Feedback(350, 600))).StatusCode);
            JsonNode? last = null;
            var status = await Until(
                async () =>
                {
                    last = JsonNode.Parse(await client.GetStringAsync("/status"))!;
                    // The learner updates once 100 records wait (the default trigger), so up to 99 that arrived
                    // while an update ran stay pending until more come or 15 minutes pass: wait for "no update due".
                    return (long)last["pending"]! < 100 && (long)last["updates"]! >= 1 ? last : null;
                },
                () => last?.ToJsonString());
            Assert.True((long)status["consumed"]! + (long)status["pending"]! >= 600, status.ToJsonString());
            Assert.True((long)status["consumed"]! >= 500, status.ToJsonString());

            // A gated retrain on demand (POST /retrain) stores a candidate judged against the served version. When the
            // gate promotes it, it is served within 5 s and rolled back, so that every run goes on the same way.
            response = await client.PostAsync("/retrain", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var retrain = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var candidate = (string)retrain["version"]!;
            Assert.Equal(version, (string?)retrain["champion"]);
            if ((bool)retrain["promoted"]!)
            {
                _ = await ServedAsync(client, probes, candidate);
                var (back, _, backError) = Run("rollback", "--store", store.Dir, "--json");
                Assert.True(back == 0, backError);
                _ = await ServedAsync(client, probes, version);
            }

            // A forced promotion from the command line (another process's change to the store) is served within 5 s.
            var (promoteCode, _, promoteError) = Run("promote", "--store", store.Dir, "--version", candidate);
            Assert.True(promoteCode == 0, promoteError);
            var promoted = await ServedAsync(client, probes, candidate);

            // A rollback from the command line is served within 5 s: the rolled-back version's own scores, not the
            // promotion's (each response names the version that scored it).
            var (code, rolledBack, stderr) = Run("rollback", "--store", store.Dir, "--json");
            Assert.True(code == 0, stderr);
            Assert.Equal(version, (string?)JsonNode.Parse(rolledBack)!["active"]);
            var first = served;
            served = await ServedAsync(client, probes, version);
            Assert.Equal(first, served);
            Assert.NotEqual(promoted, served);
            await app.StopAsync();
        }

        // A restart without the sample: the model carries its columns, loads, and scores as before the stop and as pq predict.
        // (Before /score named the version that scored each response, a response read while the rollback was adopted
        // could carry the promotion's scores beside the rolled-back version's name: 1 run in 4 "differed" here.)
        await using (var app = await ServeCommand.BuildAsync(settings with { EmptyStore = null }, CancellationToken.None))
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var body = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", probes)).Content.ReadAsStringAsync())!;
            var active = (string)body["version"]!;
            var restarted = body["scores"]!.AsArray().Select(s => (double)s!).ToArray();
            var restartStatus = await client.GetStringAsync("/status");
            var parent = (string?)JsonNode.Parse(restartStatus)!["parent"];
            await app.StopAsync();
            using var manager = store.Open();
            var lineage = string.Join("; ", (await manager.ListAsync()).Select(v => $"{v.Version} parent {v.ParentVersion} watermark {v.WatermarkSequence} promoted {v.Promoted} decision {v.Decision} activated {v.Properties.GetValueOrDefault(PatternQuality.Versioning.ModelPropertyNames.ActivatedAt)} {v.Properties.GetValueOrDefault(PatternQuality.Versioning.ModelPropertyNames.ActivationReason)}"));
            var why = $"status after restart {restartStatus}; versions {lineage}; active {await manager.GetActiveVersionAsync()}";

            var scored = Path.Combine(store.Root, "scored.csv");

            // The rolled-back version itself, or the child the stop saved: the learner's history is ahead of it.
            Assert.True(active == version || parent == version, $"{active} (parent {parent}) is neither {version} nor its child");
            var (code, _, stderr) = Run("predict", "--store", store.Dir, "--version", active, "--data", probeFile.Path, "--out", scored);
            Assert.True(code == 0, stderr);
            var predicted = CsvTable.Read(scored);
            Assert.Equal(restarted.Length, predicted.RowCount);
            for (var i = 0; i < restarted.Length; i++)
            {
                Assert.True(Math.Abs(double.Parse(predicted.GetValues(i)[^1], CultureInfo.InvariantCulture) - restarted[i]) <= 1e-6, $"row {i}: pq predict {predicted.GetValues(i)[^1]}, /score {restarted[i]}; {why}");
                Assert.True(Math.Abs(served[i] - restarted[i]) <= 1e-6, $"row {i}: before the stop {served[i]}, after {restarted[i]}; {why}");
            }
        }
    }

    // Waits (at most 5 s) until /score answers from the version, and returns its scores of the probes.
    private static async Task<double[]> ServedAsync(HttpClient client, JsonObject probes, string version)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var body = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", probes)).Content.ReadAsStringAsync())!;
            if ((string?)body["version"] == version)
            {
                return body["scores"]!.AsArray().Select(s => (double)s!).ToArray();
            }

            Assert.True(DateTime.UtcNow < limit, $"version {version} was not served within 5 s (serving {(string?)body["version"]})");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task RetrainCron_AtTheScheduledMinute_TrainsAndProposesThroughTheGate()
    {
        using var store = new TempStore();
        var champion = store.AddCouponModel();

        // The wall clock starts a few seconds before 03:00 UTC (real timers), so "0 3 * * *" comes due in the test.
        var today = DateTimeOffset.UtcNow.Date;
        var clock = new ShiftedClock(new DateTimeOffset(today.Year, today.Month, today.Day, 2, 59, 54, TimeSpan.Zero));
        var settings = new ServeCommand.ServeSettings(store.Dir, "http://127.0.0.1:0") { RetrainCron = "0 3 * * *", Time = clock };
        await using var app = await ServeCommand.BuildAsync(settings, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/feedback", Feedback(0, 400))).StatusCode);
        Assert.True(clock.GetUtcNow().TimeOfDay < new TimeSpan(3, 0, 0), "the feedback must be in before the scheduled minute");

        // At 03:00 the lifecycle retrains on the feedback log and proposes the candidate (stored whatever the gate says).
        using var versions = store.Open();
        var candidate = await Until(async () => (await versions.ListAsync()).FirstOrDefault(v => v.Version != champion && v.Decision is not null && v.WatermarkSequence >= 399));
        Assert.True(candidate.TrainingRows > 0);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("patternquality_training_count", StringComparison.Ordinal) && l.Contains("succeeded", StringComparison.Ordinal));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("patternquality_gate_decisions", StringComparison.Ordinal));
        await app.StopAsync();
    }

    [Fact]
    public void RetrainCron_NotACronExpression_FailsNamingTheOption()
    {
        using var store = new TempStore();
        store.AddCouponModel();

        var (code, _, stderr) = Run("serve", "--store", store.Dir, "--urls", "http://127.0.0.1:0", "--retrain-cron", "every night");

        Assert.Equal(1, code);
        Assert.Contains("RetrainSchedule", stderr, StringComparison.Ordinal);
    }

    /// <summary>A coupon row as a client posts it: the training file's columns and values, without the label.</summary>
    internal static JsonObject Row(int index)
    {
        var table = _coupon.Value;
        var values = table.GetValues(index);
        var row = new JsonObject();
        for (var c = 0; c < table.Header.Count; c++)
        {
            if (table.Header[c] != "Y")
            {
                row[table.Header[c]] = values[c];
            }
        }

        return row;
    }

    /// <summary>Coupon rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> as a /feedback body, ids "c{index}".</summary>
    internal static JsonObject Feedback(int skip, int take) => new()
    {
        ["records"] = new JsonArray(Enumerable.Range(skip, take).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = "c" + i.ToString(CultureInfo.InvariantCulture),
            ["row"] = Row(i),
            ["approved"] = _coupon.Value.GetValues(i)[^1] == "1",
        }).ToArray()),
    };

    private static async Task<T> Until<T>(Func<Task<T?>> probe, Func<string?>? describe = null)
        where T : class
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < limit, "timed out waiting for pq serve " + describe?.Invoke());
            await Task.Delay(100);
        }
    }
}
